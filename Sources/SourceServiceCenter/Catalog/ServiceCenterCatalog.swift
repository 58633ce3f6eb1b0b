import BridgeKernel

/// What the source knows about one Service Center tenant: the last successful service listing and the cached
/// instances of every listed service. Pure state; the I/O loop feeds it listings, find results and watch frames.
///
/// The catalog also remembers which services changed since the caller last asked (``takeTouched()``), so a poll or
/// a resync that finds little new costs only what changed to publish, not a rebuild of the whole registry.
public struct ServiceCenterCatalog: Hashable, Sendable {
    /// The services of the last successful listing, by id.
    public private(set) var services: [String: SCService] = [:]
    /// Cached instances by service id, then instance id.
    public private(set) var instances: [String: [String: SCInstance]] = [:]
    /// Service ids by service name, so a few logical services can be rebuilt without scanning every service.
    public private(set) var serviceIdsByName: [String: Set<String>] = [:]
    /// Whether a complete listing and find has been applied.
    public var isComplete = false
    /// Services whose listing entry or instances changed since the last ``takeTouched()``: the current record,
    /// or the last one for a service that left the listing.
    private var touched: [String: SCService] = [:]
    /// Instances (service id → instance ids) that watch events changed since ``beginFind()``, or `nil` when no
    /// find is in flight. Finds run beside the watch events, so an event applied while a find waits for its answer
    /// may be newer than that answer.
    private var changedDuringFind: [String: Set<String>]?

    /// Creates an empty catalog.
    public init() {}

    /// Replaces the service set with a successful listing. Instances of services that disappeared are dropped;
    /// returns the ids of services that are new since the previous listing.
    @discardableResult
    public mutating func applyListing(_ listed: [SCService]) -> Set<String> {
        let previous = services
        services = Dictionary(listed.map { ($0.serviceId, $0) }, uniquingKeysWith: { first, _ in first })
        var listingChanged = false
        for (id, old) in previous where services[id] == nil {
            touched[id] = old
            instances[id] = nil
            listingChanged = true
        }
        for (id, service) in services where previous[id] != service {
            touched[id] = service
            listingChanged = true
        }
        if listingChanged {
            serviceIdsByName = Dictionary(grouping: services.values, by: \.serviceName).mapValues {
                Set($0.map(\.serviceId))
            }
        }
        return Set(services.keys).subtracting(previous.keys)
    }

    /// Marks the start of a find: watch events applied from now until ``applyFind(serviceIds:found:)`` or
    /// ``abandonFind()`` take precedence over the find's answer for the instances they name. One find at a time.
    public mutating func beginFind() {
        changedDuringFind = [:]
    }

    /// Ends a find that failed; nothing of it is applied.
    public mutating func abandonFind() {
        changedDuringFind = nil
    }

    /// Replaces the instances of the services in `serviceIds` with `found` (a successful find for them), and ends
    /// the find begun with ``beginFind()``. Instances that a watch event created, changed or deleted while the find
    /// was in flight keep what the event left: Service Center sends events in order, so the last one is at least as
    /// new as the find's answer, or a later event is still on its way. Instances of services that are not listed
    /// are ignored until a listing includes them.
    public mutating func applyFind(serviceIds: Set<String>, found: [SCInstance]) {
        let changed = changedDuringFind ?? [:]
        changedDuringFind = nil
        func changedByEvent(_ serviceId: String, _ instanceId: String) -> Bool {
            changed[serviceId]?.contains(instanceId) == true
        }
        var replacements: [String: [String: SCInstance]] = [:]
        for id in serviceIds where services[id] != nil {
            // Instances the events keep, whether or not the answer has them; deleted ones are absent here.
            replacements[id] = instances[id]?.filter { changedByEvent(id, $0.key) } ?? [:]
        }
        for instance in found where services[instance.serviceId] != nil {
            guard !changedByEvent(instance.serviceId, instance.instanceId) else { continue }
            if replacements[instance.serviceId] != nil {
                replacements[instance.serviceId]![instance.instanceId] = instance
            } else {
                // Another version's instance that came back with this find: merged, as a watch event would be.
                store(instance)
            }
        }
        for (id, replacement) in replacements where instances[id] != replacement {
            instances[id] = replacement
            touched[id] = services[id]
        }
    }

    /// Applies one watch event; returns `false` when the event's service is not listed yet (the caller should
    /// re-list and re-find).
    @discardableResult
    public mutating func apply(action: SCWatchFrame.Action, instance: SCInstance) -> Bool {
        guard let service = services[instance.serviceId] else { return false }
        if changedDuringFind != nil { changedDuringFind![instance.serviceId, default: []].insert(instance.instanceId) }
        switch action {
        case .create, .update:
            store(instance)
        case .delete:
            if instances[instance.serviceId]?.removeValue(forKey: instance.instanceId) != nil {
                touched[instance.serviceId] = service
            }
        }
        return true
    }

    /// The services that changed since the last call (see ``touched``), and forgets them.
    public mutating func takeTouched() -> [SCService] {
        defer { touched = [:] }
        return Array(touched.values)
    }

    private mutating func store(_ instance: SCInstance) {
        guard instances[instance.serviceId]?[instance.instanceId] != instance else { return }
        instances[instance.serviceId, default: [:]][instance.instanceId] = instance
        touched[instance.serviceId] = services[instance.serviceId]
    }
}
