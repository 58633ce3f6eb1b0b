import BridgeKernel
import Synchronization

/// Wraps a sink and measures, per registry change, the time from the change request to the API server's answer
/// to the write that carried it (``WriteInstants``; the end of the push when no answer was heard). Changes are
/// recognised by the `churn` label the benchmark sets (instance property → WorkloadEntry `spec.labels`), so the
/// measurement covers the whole path: registry → watch → debounce → render → API write.
final class TimingSink: Sink {
    private struct State {
        /// Changes not yet written, per instance (`service-replica`), oldest first.
        var pending: [String: [(sequence: Int, sentAt: ContinuousClock.Instant)]] = [:]
        var lastLabel: [String: String] = [:]
        var latencies: [Duration] = []
        /// When each change was written, by sequence.
        var writtenAt: [Int: ContinuousClock.Instant] = [:]
        var changedObjects = 0
        var writes = 0
    }

    let inner: any Sink
    private let writes: WriteInstants
    private let state = Mutex(State())

    init(_ inner: any Sink, writes: WriteInstants) {
        self.inner = inner
        self.writes = writes
    }

    var name: String { inner.name }

    /// The label value for change `sequence` of an instance: `<instance>.<sequence>`.
    static func label(instance: String, sequence: Int) -> String { "\(instance).\(sequence)" }

    /// Records that change `sequence` of `instance` was sent at `instant`.
    func sent(instance: String, sequence: Int, at instant: ContinuousClock.Instant) {
        state.withLock { $0.pending[instance, default: []].append((sequence, instant)) }
    }

    /// Starts counting afresh (after the initial sync).
    func resetCounts() {
        state.withLock {
            $0.latencies = []
            $0.writtenAt = [:]
            $0.changedObjects = 0
            $0.writes = 0
        }
    }

    var measurements: (latencies: [Duration], changedObjects: Int, writes: Int) {
        state.withLock { ($0.latencies, $0.changedObjects, $0.writes) }
    }

    /// When each written change was written, by sequence.
    var writtenAt: [Int: ContinuousClock.Instant] { state.withLock { $0.writtenAt } }

    func apply(_ desired: DesiredState) async throws -> SinkReport {
        let began = ContinuousClock.now
        let report = try await inner.apply(desired)
        let done = ContinuousClock.now
        state.withLock { state in
            state.writes += report.writes
            for id in desired.changed {
                for object in desired.groups[id]?.objects ?? [] where object.kind == "WorkloadEntry" {
                    guard let label = object.document["spec"]?["labels"]?["churn"]?.stringValue,
                        state.lastLabel[object.name] != label
                    else { continue }
                    state.lastLabel[object.name] = label
                    state.changedObjects += 1
                    // The object now carries change `sequence`: it and every earlier change of the instance that
                    // it superseded within the same burst are written.
                    guard let dot = label.lastIndex(of: "."), let sequence = Int(label[label.index(after: dot)...])
                    else { continue }
                    let instance = String(label[..<dot])
                    let pending = state.pending[instance] ?? []
                    let written = pending.prefix { $0.sequence <= sequence }
                    // This push's answer for the object; an older one means it was not written by this push.
                    let answered = writes.latest(object.name).flatMap { $0 >= began ? $0 : nil } ?? done
                    state.latencies += written.map { $0.sentAt.duration(to: answered) }
                    for change in written { state.writtenAt[change.sequence] = answered }
                    state.pending[instance] = Array(pending.dropFirst(written.count))
                }
            }
        }
        return report
    }

    func run() async throws {
        try await inner.run()
    }
}
