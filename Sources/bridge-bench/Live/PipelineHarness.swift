import BridgeKernel
import Foundation
import IstioMapping
import Logging
import Synchronization

/// A real pipeline (sources → debounce → render → sinks) running in the benchmark process, with its events
/// recorded so a scenario can wait for "the initial sync was written".
final class PipelineHarness: Sendable {
    let pipeline: Pipeline<ContinuousClock>
    private let events = EventLog()
    private let task = TaskBox()

    init(sources: [any RegistrySource], sinks: [any Sink], debounce: DebounceSettings) {
        pipeline = Pipeline(
            sources: sources, transforms: [], renderer: IstioRenderer(), sinks: sinks, debounce: debounce,
            clock: ContinuousClock(), logger: Logger(label: "bench", factory: { _ in SwiftLogNoOpLogHandler() }))
        let events = self.events
        pipeline.observe { event in events.append(event) }
    }

    func start() {
        let pipeline = self.pipeline
        task.set(Task { try await pipeline.run() })
    }

    /// Waits until a recorded event satisfies `predicate`; `nil` after `limit`.
    func wait(limit: Duration = .seconds(3600), _ predicate: (PipelineEvent) -> Bool) async -> PipelineEvent? {
        let deadline = ContinuousClock.now + limit
        var seen = 0
        while ContinuousClock.now < deadline {
            let new = events.since(seen)
            seen += new.count
            if let match = new.first(where: predicate) { return match }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return nil
    }

    func stop() async {
        pipeline.shutdown()
        _ = try? await task.get()?.value
    }
}

/// Pipeline events in arrival order.
final class EventLog: Sendable {
    private let events = Mutex<[PipelineEvent]>([])
    func append(_ event: PipelineEvent) { events.withLock { $0.append(event) } }
    func since(_ index: Int) -> [PipelineEvent] { events.withLock { Array($0[index...]) } }
}

/// The pipeline's task.
final class TaskBox: Sendable {
    private let task = Mutex<Task<Void, any Error>?>(nil)
    func set(_ value: Task<Void, any Error>) { task.withLock { $0 = value } }
    func get() -> Task<Void, any Error>? { task.withLock { $0 } }
}
