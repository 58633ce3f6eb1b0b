/// What a source reports: its complete state, one service's new state, or its health.
///
/// Changes are state-based rather than deltas ("service S now looks like this"), so merging a burst of them by
/// key yields the net change, and applying the merged set is independent of how the burst interleaved.
public enum SourceChange: Hashable, Sendable {
    /// The source's complete current state, replacing everything it reported before. Sources send one after
    /// their first full listing and may send more after reconnects.
    case snapshot([Service])
    /// A service appeared or changed (any instance added, changed or removed).
    case upsert(Service)
    /// A service disappeared from the registry.
    case remove(ServiceKey)
    /// The source's connection state changed.
    case health(SourceHealth)
}

/// A ``SourceChange`` tagged with the source that reported it.
public struct SourceUpdate: Hashable, Sendable {
    /// The source's configured name.
    public var source: String
    /// What changed.
    public var change: SourceChange

    /// Creates an update.
    public init(source: String, change: SourceChange) {
        self.source = source
        self.change = change
    }
}

/// Whether a source can currently see its registry.
///
/// An unhealthy source keeps its last known state: the bridge never deletes anything because a registry became
/// unreachable, and sinks do not prune while any source is unhealthy.
public enum SourceHealth: Hashable, Sendable, CustomStringConvertible {
    /// Connected, and its state is current.
    case healthy
    /// Not able to read the registry; the reason is for operators.
    case unhealthy(reason: String)

    /// Whether the source is healthy.
    public var isHealthy: Bool {
        if case .healthy = self { return true }
        return false
    }

    public var description: String {
        switch self {
        case .healthy: return "healthy"
        case .unhealthy(let reason): return "unhealthy (\(reason))"
        }
    }
}
