import BridgeKernel
import Synchronization

/// Whether the bridge is ready to serve, as `/readyz` reports it.
///
/// Ready once every source has completed its first full listing — and, for the leader, once every sink has
/// taken the first push after that — so a rollout waits until the new replica has a complete picture. A follower
/// is ready once its caches are warm (its sources are synced): it can take over at once.
public final class ReadinessState: Sendable {
    private struct State {
        var sourcesSynced = false
        var written = false
        var sources: [String: SourceStatus] = [:]
        var lastPush = 0
    }

    private let state = Mutex(State())
    private let leadership: LeadershipGate
    private let sinkCount: Int

    /// Creates the state for a pipeline with `sinkCount` sinks.
    public init(leadership: LeadershipGate, sinkCount: Int) {
        self.leadership = leadership
        self.sinkCount = sinkCount
    }

    /// Feeds a pipeline event.
    public func observe(_ event: PipelineEvent) {
        state.withLock { state in
            switch event {
            case .push(let summary, _):
                state.sources = summary.sources
                state.lastPush = summary.revision
                if summary.sources.values.allSatisfy(\.synced) { state.sourcesSynced = true }
            case .written:
                if state.sourcesSynced { state.written = true }
            case .sinkApplied, .sinkFailed, .pushCancelled:
                break
            }
        }
    }

    /// Whether the bridge is ready, and a one-line explanation.
    public var status: (ready: Bool, detail: String) {
        let leading = leadership.isLeading
        return state.withLock { state in
            let sources = state.sources.keys.sorted().map { name -> String in
                let status = state.sources[name]!
                return "\(name): \(status.synced ? "synced" : "not synced"), \(status.health)"
            }.joined(separator: "; ")
            let role = leading ? "leader" : "follower"
            if !state.sourcesSynced {
                return (false, "waiting for the first full listing of every source (\(role)); \(sources)")
            }
            if leading, sinkCount > 0, !state.written {
                return (false, "leader: waiting for the first push to be written; \(sources)")
            }
            return (true, "ready (\(role)); \(sources)")
        }
    }
}
