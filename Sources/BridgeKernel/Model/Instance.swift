/// One running copy of a service, as the registry reports it.
public struct Instance: Hashable, Sendable {
    /// The registry's instance id (unique within the service).
    public var id: String
    /// The host name the instance registered with.
    public var hostName: String
    /// The version of the service this instance runs (empty when the registry has none).
    public var version: String
    /// The addresses it serves on, in registry order.
    public var endpoints: [Endpoint]
    /// Lifecycle state; only `UP` instances are routed by default.
    public var status: InstanceStatus
    /// Registry properties / metadata, verbatim.
    public var metadata: [String: String]
    /// Region of the data centre, when known.
    public var region: String
    /// Availability zone, when known.
    public var zone: String

    /// Creates an instance.
    public init(
        id: String,
        hostName: String = "",
        version: String = "",
        endpoints: [Endpoint],
        status: InstanceStatus = .up,
        metadata: [String: String] = [:],
        region: String = "",
        zone: String = ""
    ) {
        self.id = id
        self.hostName = hostName
        self.version = version
        self.endpoints = endpoints
        self.status = status
        self.metadata = metadata
        self.region = region
        self.zone = zone
    }
}
