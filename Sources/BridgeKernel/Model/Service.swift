/// A logical service with all of its instances, across versions.
public struct Service: Hashable, Sendable {
    /// Which service this is.
    public var key: ServiceKey
    /// The instances, in any order; renderers sort them.
    public var instances: [Instance]
    /// Service-level registry properties.
    public var metadata: [String: String]
    /// Declarations that override what the mesh mapping would infer (used by the static source, for example for
    /// an external database).
    public var mesh: MeshOverrides

    /// Creates a service.
    public init(
        key: ServiceKey, instances: [Instance] = [], metadata: [String: String] = [:], mesh: MeshOverrides = .init()
    ) {
        self.key = key
        self.instances = instances
        self.metadata = metadata
        self.mesh = mesh
    }

    /// The versions the instances run, sorted.
    public var versions: [String] {
        Set(instances.map(\.version).filter { !$0.isEmpty }).sorted()
    }
}

/// Optional mesh-side declarations for a service.
///
/// Registry sources leave this empty and let the mapping infer everything; the static source lets an operator
/// declare, for example, `location: MESH_EXTERNAL` and `resolution: DNS` for a database outside the mesh.
public struct MeshOverrides: Hashable, Sendable {
    /// Whether the service runs inside the mesh.
    public var location: MeshLocation?
    /// How the mesh resolves the service's addresses.
    public var resolution: MeshResolution?
    /// Host names to publish instead of the ones the host template produces.
    public var hosts: [String]?
    /// Ports to publish in addition to the ones found on the instances' endpoints.
    public var ports: [ServicePort]

    /// Creates overrides; every field defaults to "infer".
    public init(
        location: MeshLocation? = nil, resolution: MeshResolution? = nil, hosts: [String]? = nil,
        ports: [ServicePort] = []
    ) {
        self.location = location
        self.resolution = resolution
        self.hosts = hosts
        self.ports = ports
    }
}

/// Istio's `ServiceEntry.location`.
public enum MeshLocation: String, Sendable, Hashable, CaseIterable {
    case meshInternal = "MESH_INTERNAL"
    case meshExternal = "MESH_EXTERNAL"
}

/// Istio's `ServiceEntry.resolution` (the values the bridge may emit).
public enum MeshResolution: String, Sendable, Hashable, CaseIterable {
    case none = "NONE"
    case `static` = "STATIC"
    case dns = "DNS"
    case dnsRoundRobin = "DNS_ROUND_ROBIN"
}

/// A port declared on a service rather than discovered from endpoints.
public struct ServicePort: Hashable, Sendable {
    /// The port number, 1–65535.
    public var number: Int
    /// The mesh protocol (`HTTP`, `TCP`, …), upper case.
    public var `protocol`: String
    /// The port name; derived from protocol and number when nil.
    public var name: String?

    /// Creates a port.
    public init(number: Int, protocol: String, name: String? = nil) {
        self.number = number
        self.protocol = `protocol`
        self.name = name
    }
}
