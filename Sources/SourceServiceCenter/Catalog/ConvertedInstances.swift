import BridgeKernel

/// Instances already converted, remembered by service and instance id, so that a watch event re-parses only the
/// instance it changed rather than every endpoint of its service (parsing endpoints dominated the cost of a
/// busy registry).
struct ConvertedInstances: Sendable {
    private struct Entry: Sendable {
        var raw: SCInstance
        var serviceVersion: String
        var converted: Instance?
        var problems: [String]
    }

    /// By service id, then instance id.
    private var entries: [String: [String: Entry]] = [:]

    /// How many conversions are remembered.
    var count: Int { entries.values.reduce(0) { $0 + $1.count } }

    /// The conversion of `raw`, from memory when neither the instance nor its service's version changed.
    mutating func convert(_ raw: SCInstance, of service: SCService, using grouping: ServiceGrouping) -> (
        Instance?, [String]
    ) {
        if let entry = entries[raw.serviceId]?[raw.instanceId], entry.raw == raw,
            entry.serviceVersion == service.version
        {
            return (entry.converted, entry.problems)
        }
        let (instance, problems) = grouping.convert(raw, of: service)
        entries[raw.serviceId, default: [:]][raw.instanceId] = Entry(
            raw: raw, serviceVersion: service.version, converted: instance, problems: problems)
        return (instance, problems)
    }

    /// Forgets the conversions of one service's instances that are no longer in `current` (`nil`: the service
    /// is gone), so instances that left the registry do not stay in memory. Called right after the service's
    /// current instances were converted, when equal counts mean nothing left and the check costs nothing.
    mutating func forgetDeparted(ofService serviceId: String, current: [String: SCInstance]?) {
        guard let remembered = entries[serviceId], remembered.count > current?.count ?? 0 else { return }
        keep(ofService: serviceId, current)
    }

    /// Forgets every conversion except those of `instances` (by service id, then instance id).
    mutating func keepOnly(_ instances: [String: [String: SCInstance]]) {
        for serviceId in entries.keys { keep(ofService: serviceId, instances[serviceId]) }
    }

    private mutating func keep(ofService serviceId: String, _ current: [String: SCInstance]?) {
        let kept = entries[serviceId]?.filter { current?[$0.key] != nil } ?? [:]
        entries[serviceId] = kept.isEmpty ? nil : kept
    }
}
