import BridgeKernel

/// The WorkloadEntries of a service's previous render that a new render may take over unchanged.
///
/// A WorkloadEntry is a function of its instance, the service key, the ServiceEntry's port names and the
/// renderer's settings. The renderer and the key are the same between two renders of a service, so an entry can
/// be reused when its instance is equal to the one it was rendered from and the ServiceEntry's ports are equal.
struct WorkloadEntryReuse {
    /// Previous instances by id; ids that occurred more than once are left out.
    private let instances: [String: Instance]
    /// Previous WorkloadEntries by name.
    private let entries: [String: ManifestObject]
    /// The previous ServiceEntry's `spec.ports`.
    private let ports: JSONValue?

    /// Prepares reuse from `previous`; `nil` when it has no WorkloadEntries (nothing to reuse).
    init?(_ previous: PreviousRender) {
        var entries: [String: ManifestObject] = [:]
        var serviceEntry: ManifestObject?
        for object in previous.group.objects {
            switch object.kind {
            case "WorkloadEntry": entries[object.name] = object
            case "ServiceEntry": serviceEntry = object
            default: break
            }
        }
        guard let serviceEntry, !entries.isEmpty else { return nil }
        var instances = [String: Instance](minimumCapacity: previous.instances.count)
        var repeated = Set<String>()
        for instance in previous.instances where instances.updateValue(instance, forKey: instance.id) != nil {
            repeated.insert(instance.id)
        }
        for id in repeated { instances[id] = nil }
        self.instances = instances
        self.entries = entries
        self.ports = serviceEntry.document["spec"]?["ports"]
    }

    /// Whether entries rendered against the previous ServiceEntry's ports are still right with `ports`.
    func portsMatch(_ ports: JSONValue?) -> Bool {
        self.ports == ports
    }

    /// The previous WorkloadEntry `name` when it was rendered from an instance equal to `instance`.
    func entry(named name: String, for instance: Instance) -> ManifestObject? {
        guard let previous = instances[instance.id], previous == instance else { return nil }
        return entries[name]
    }
}
