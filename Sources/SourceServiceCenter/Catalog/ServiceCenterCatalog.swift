import BridgeKernel

/// What the source knows about one Service Center tenant: the last successful service listing and the cached
/// instances of every listed service. Pure state; the I/O loop feeds it listings, find results and watch frames.
public struct ServiceCenterCatalog: Hashable, Sendable {
    /// The services of the last successful listing, by id.
    public private(set) var services: [String: SCService] = [:]
    /// Cached instances by service id, then instance id.
    public private(set) var instances: [String: [String: SCInstance]] = [:]
    /// Whether a complete listing and find has been applied.
    public var isComplete = false

    /// Creates an empty catalog.
    public init() {}

    /// Replaces the service set with a successful listing. Instances of services that disappeared are dropped;
    /// returns the ids of services that are new since the previous listing.
    @discardableResult
    public mutating func applyListing(_ listed: [SCService]) -> Set<String> {
        let previous = Set(services.keys)
        services = Dictionary(listed.map { ($0.serviceId, $0) }, uniquingKeysWith: { first, _ in first })
        for id in instances.keys where services[id] == nil { instances[id] = nil }
        return Set(services.keys).subtracting(previous)
    }

    /// Replaces the instances of the services in `serviceIds` with `found` (a successful find for them).
    /// Instances of services that are not listed are ignored until a listing includes them.
    public mutating func applyFind(serviceIds: Set<String>, found: [SCInstance]) {
        for id in serviceIds where services[id] != nil { instances[id] = [:] }
        for instance in found where services[instance.serviceId] != nil {
            instances[instance.serviceId, default: [:]][instance.instanceId] = instance
        }
    }

    /// Applies one watch event; returns `false` when the event's service is not listed yet (the caller should
    /// re-list and re-find).
    @discardableResult
    public mutating func apply(action: SCWatchFrame.Action, instance: SCInstance) -> Bool {
        guard services[instance.serviceId] != nil else { return false }
        switch action {
        case .create, .update:
            instances[instance.serviceId, default: [:]][instance.instanceId] = instance
        case .delete:
            instances[instance.serviceId]?[instance.instanceId] = nil
        }
        return true
    }
}
