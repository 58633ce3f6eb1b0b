/// The merged view of every source's services: what the bridge currently believes the registries hold.
public struct RegistryState: Sendable {
    /// Every known service.
    public private(set) var services: [ServiceKey: Service] = [:]
    /// Per configured source: synced yet, and healthy.
    public private(set) var sources: [String: SourceStatus]

    /// Creates an empty state expecting the named sources.
    public init(sourceNames: [String]) {
        sources = Dictionary(uniqueKeysWithValues: sourceNames.map { ($0, SourceStatus()) })
    }

    /// True when every source has delivered a full listing and is healthy: only then may sinks prune.
    public var isComplete: Bool {
        sources.values.allSatisfy { $0.synced && $0.health.isHealthy }
    }

    /// Applies a merged burst of changes.
    ///
    /// - Returns: the keys of services that appeared, changed or disappeared.
    public mutating func apply(_ changes: ChangeSet) -> Set<ServiceKey> {
        var touched = Set<ServiceKey>()
        for (source, list) in changes.snapshots {
            let incoming = Dictionary(list.map { ($0.key, $0) }, uniquingKeysWith: { _, last in last })
            for key in services.keys where key.source == source && incoming[key] == nil {
                services[key] = nil
                touched.insert(key)
            }
            for (key, service) in incoming where services[key] != service {
                services[key] = service
                touched.insert(key)
            }
            sources[source, default: SourceStatus()].synced = true
        }
        for (key, service) in changes.services where services[key] != service {
            services[key] = service
            touched.insert(key)
        }
        for (source, health) in changes.health {
            sources[source, default: SourceStatus()].health = health
        }
        return touched
    }
}
