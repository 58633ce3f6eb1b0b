import OrderedCollections

/// The net effect of a burst of source updates, merged by key.
///
/// A later change to a service replaces an earlier one; a snapshot from a source replaces everything that source
/// reported before it in the same burst. Applying a change set therefore gives the same result as applying every
/// update it absorbed, in order, while carrying each service at most once.
public struct ChangeSet: Sendable, Hashable {
    /// The latest complete snapshot per source, if one arrived in this burst.
    public private(set) var snapshots: [String: [Service]] = [:]
    /// Per-service changes after any snapshot: a service's new state, or `nil` when it was removed.
    public private(set) var services: OrderedDictionary<ServiceKey, Service?> = [:]
    /// The latest health reported per source.
    public private(set) var health: [String: SourceHealth] = [:]
    /// How many updates were merged, the measure the debouncer's `maxEvents` counts.
    public private(set) var updateCount = 0
    /// How many updates each source contributed.
    public private(set) var updatesBySource: [String: Int] = [:]

    /// Creates an empty change set.
    public init() {}

    /// Whether nothing was merged.
    public var isEmpty: Bool { updateCount == 0 }

    /// Merges one update.
    ///
    /// Service keys are re-stamped with the update's source, so a source can never write into another's
    /// namespace of keys.
    public mutating func add(_ update: SourceUpdate) {
        updateCount += 1
        updatesBySource[update.source, default: 0] += 1
        switch update.change {
        case .snapshot(let list):
            snapshots[update.source] = list.map { $0.restamped(source: update.source) }
            services.removeAll { $0.key.source == update.source }
        case .upsert(let service):
            let service = service.restamped(source: update.source)
            services[service.key] = .some(service)
        case .remove(var key):
            key.source = update.source
            services[key] = .some(nil)
        case .health(let value):
            health[update.source] = value
        }
    }

    /// Merges a later change set into this one.
    public mutating func append(_ later: ChangeSet) {
        for (source, list) in later.snapshots {
            snapshots[source] = list
            services.removeAll { $0.key.source == source }
        }
        for (key, value) in later.services { services[key] = .some(value) }
        health.merge(later.health) { _, new in new }
        updateCount += later.updateCount
        updatesBySource.merge(later.updatesBySource, uniquingKeysWith: +)
    }
}

extension Service {
    fileprivate func restamped(source: String) -> Service {
        guard key.source != source else { return self }
        var copy = self
        copy.key.source = source
        return copy
    }
}
