import BridgeKernel
import Synchronization

/// Hands out one shared `JSONValue` per key, so equal sub-documents of many objects — the same port list on
/// thousands of ServiceEntries — share one copy-on-write storage instead of a copy each.
///
/// Safe to use from concurrent renders. Holds at most `capacity` values; beyond that it builds values without
/// keeping them, so a registry with ever-new keys cannot make it grow without bound.
final class SharedValueTable<Key: Hashable & Sendable>: Sendable {
    private let values = Mutex<[Key: JSONValue]>([:])
    private let capacity: Int

    init(capacity: Int) {
        self.capacity = capacity
    }

    /// The value for `key`, built with `make` the first time.
    func value(for key: Key, make: () -> JSONValue) -> JSONValue {
        if let shared = values.withLock({ $0[key] }) { return shared }
        let value = make()
        return values.withLock { values in
            if let shared = values[key] { return shared }
            if values.count < capacity { values[key] = value }
            return value
        }
    }
}
