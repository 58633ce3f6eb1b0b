import BridgeKernel
import Synchronization

/// Wraps a sink and measures, per registry change, the time from the change request to the end of the push that
/// wrote it. Changes are recognised by the `churn` label the benchmark sets (instance property → WorkloadEntry
/// label), so the measurement covers the whole path: registry → watch → debounce → render → API write.
final class TimingSink: Sink {
    private struct State {
        var sentAt: [String: ContinuousClock.Instant] = [:]
        var lastLabel: [String: String] = [:]
        var latencies: [Duration] = []
        var changedObjects = 0
        var writes = 0
    }

    let inner: any Sink
    private let state = Mutex(State())

    init(_ inner: any Sink) { self.inner = inner }

    var name: String { inner.name }

    /// Records that the change tagged `sequence` was sent now.
    func sent(_ sequence: String, at instant: ContinuousClock.Instant) {
        state.withLock { $0.sentAt[sequence] = instant }
    }

    /// Starts counting afresh (after the initial sync).
    func resetCounts() {
        state.withLock {
            $0.latencies = []
            $0.changedObjects = 0
            $0.writes = 0
        }
    }

    var measurements: (latencies: [Duration], changedObjects: Int, writes: Int) {
        state.withLock { ($0.latencies, $0.changedObjects, $0.writes) }
    }

    func apply(_ desired: DesiredState) async throws -> SinkReport {
        let report = try await inner.apply(desired)
        let done = ContinuousClock.now
        state.withLock { state in
            state.writes += report.writes
            for id in desired.changed {
                for object in desired.groups[id]?.objects ?? [] where object.kind == "WorkloadEntry" {
                    guard let label = object.labels["churn"], state.lastLabel[object.name] != label else { continue }
                    state.lastLabel[object.name] = label
                    state.changedObjects += 1
                    if let sent = state.sentAt.removeValue(forKey: label) {
                        state.latencies.append(sent.duration(to: done))
                    }
                }
            }
        }
        return report
    }

    func run() async throws {
        try await inner.run()
    }
}
