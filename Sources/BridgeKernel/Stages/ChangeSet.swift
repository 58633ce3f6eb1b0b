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
    /// How many updates were merged under each key, so a part of the set can be taken out with its counts.
    private var updatesByKey: [ChangeKey: Int] = [:]

    /// Creates an empty change set.
    public init() {}

    /// Whether nothing was merged.
    public var isEmpty: Bool { updateCount == 0 }

    /// Merges one update.
    ///
    /// Service keys are re-stamped with the update's source, so a source can never write into another's
    /// namespace of keys.
    ///
    /// - Returns: the key the update is held under: its service, or its source for a snapshot, a health change,
    ///   and any change that follows a snapshot of the same source still held here. A snapshot also takes over
    ///   the service keys of its source that were held before it.
    @discardableResult
    public mutating func add(_ update: SourceUpdate) -> ChangeKey {
        updateCount += 1
        updatesBySource[update.source, default: 0] += 1
        let sourceKey = ChangeKey.source(update.source)
        let key: ChangeKey
        switch update.change {
        case .snapshot(let list):
            snapshots[update.source] = list.map { $0.restamped(source: update.source) }
            services.removeAll { $0.key.source == update.source }
            holdUnderSourceKey(update.source)
            key = sourceKey
        case .upsert(let service):
            let service = service.restamped(source: update.source)
            services[service.key] = .some(service)
            key = heldKey(.service(service.key))
        case .remove(var removed):
            removed.source = update.source
            services[removed] = .some(nil)
            key = heldKey(.service(removed))
        case .health(let value):
            health[update.source] = value
            key = sourceKey
        }
        updatesByKey[key, default: 0] += 1
        return key
    }

    /// Takes the changes held under `keys` out of this set and returns them as a set of their own, with their
    /// update counts. Keys held nowhere are ignored.
    public mutating func extract(_ keys: some Sequence<ChangeKey>) -> ChangeSet {
        var taken = ChangeSet()
        for key in keys {
            guard let count = updatesByKey.removeValue(forKey: key) else { continue }
            taken.updatesByKey[key] = count
            taken.updateCount += count
            taken.updatesBySource[key.source, default: 0] += count
            updateCount -= count
            updatesBySource[key.source, default: 0] -= count
            if updatesBySource[key.source] == 0 { updatesBySource[key.source] = nil }
            switch key {
            case .service(let service):
                if let change = services.removeValue(forKey: service) { taken.services[service] = change }
            case .source(let source):
                if let snapshot = snapshots.removeValue(forKey: source) {
                    taken.snapshots[source] = snapshot
                    // Everything of this source that followed the snapshot is held under the source's key.
                    for (service, change) in services where service.source == source {
                        taken.services[service] = change
                    }
                    services.removeAll { $0.key.source == source }
                }
                if let value = health.removeValue(forKey: source) { taken.health[source] = value }
            }
        }
        return taken
    }

    /// Merges a later change set into this one.
    public mutating func append(_ later: ChangeSet) {
        for (source, list) in later.snapshots {
            snapshots[source] = list
            services.removeAll { $0.key.source == source }
            holdUnderSourceKey(source)
        }
        for (key, value) in later.services { services[key] = .some(value) }
        health.merge(later.health) { _, new in new }
        updateCount += later.updateCount
        updatesBySource.merge(later.updatesBySource, uniquingKeysWith: +)
        for (key, count) in later.updatesByKey { updatesByKey[heldKey(key), default: 0] += count }
    }

    /// The key a change is held under: its own, unless a snapshot of its source is held here, which it must
    /// follow.
    private func heldKey(_ key: ChangeKey) -> ChangeKey {
        snapshots[key.source] == nil ? key : .source(key.source)
    }

    /// Moves the update counts of every key of `source` under the source's own key (a snapshot arrived, and
    /// everything of that source now waits with it).
    private mutating func holdUnderSourceKey(_ source: String) {
        let sourceKey = ChangeKey.source(source)
        for (key, count) in updatesByKey where key != sourceKey && key.source == source {
            updatesByKey[key] = nil
            updatesByKey[sourceKey, default: 0] += count
        }
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
