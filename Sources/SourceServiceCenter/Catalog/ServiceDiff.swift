import BridgeKernel

/// The changes that turn one emitted state into the next.
public struct ServiceDiff: Hashable, Sendable {
    /// Services that are new or changed, sorted by key.
    public var upserts: [Service]
    /// Keys of services that are gone, sorted.
    public var removals: [ServiceKey]

    /// Whether nothing changed.
    public var isEmpty: Bool { upserts.isEmpty && removals.isEmpty }

    /// Compares the last emitted state with the current one.
    public init(from old: [ServiceKey: Service], to new: [ServiceKey: Service]) {
        upserts = new.filter { old[$0.key] != $0.value }.map(\.value).sorted { $0.key < $1.key }
        removals = old.keys.filter { new[$0] == nil }.sorted()
    }
}
