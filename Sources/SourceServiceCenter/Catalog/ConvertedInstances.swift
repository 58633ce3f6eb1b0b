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

    private var entries: [String: Entry] = [:]

    /// How many conversions are remembered.
    var count: Int { entries.count }

    /// The conversion of `raw`, from memory when neither the instance nor its service's version changed.
    mutating func convert(_ raw: SCInstance, of service: SCService, using grouping: ServiceGrouping) -> (
        Instance?, [String]
    ) {
        let id = raw.serviceId + "/" + raw.instanceId
        if let entry = entries[id], entry.raw == raw, entry.serviceVersion == service.version {
            return (entry.converted, entry.problems)
        }
        let (instance, problems) = grouping.convert(raw, of: service)
        entries[id] = Entry(raw: raw, serviceVersion: service.version, converted: instance, problems: problems)
        return (instance, problems)
    }

    /// Forgets every conversion except those of `instances` (by service id, then instance id), so instances
    /// that left the registry do not stay in memory.
    mutating func keepOnly(_ instances: [String: [String: SCInstance]]) {
        entries = entries.filter { id, entry in instances[entry.raw.serviceId]?[entry.raw.instanceId] != nil }
    }
}
