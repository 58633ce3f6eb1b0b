import BridgeKernel
import Logging
import Synchronization
import Testing

/// Only the leader's sinks write; followers keep the desired state ready.
@Suite struct LeadershipTests {
    typealias ScriptedSource = PipelineTests.ScriptedSource
    typealias RecordingSink = PipelineTests.RecordingSink

    /// A sink whose pushes block until released, to observe cancellation.
    final class BlockingSink: Sink {
        let name = "blocking"
        let started: AsyncStream<Int>
        let startedContinuation: AsyncStream<Int>.Continuation
        let cancelled = Mutex(0)

        init() { (started, startedContinuation) = AsyncStream.makeStream() }

        func apply(_ state: DesiredState) async throws -> SinkReport {
            startedContinuation.yield(state.revision)
            let (never, _) = AsyncStream.makeStream(of: Never.self)
            for await _ in never {}
            cancelled.withLock { $0 += 1 }
            throw CancellationError()
        }
    }

    /// Pipeline events as they happen.
    final class EventRecorder: Sendable {
        private let events = Mutex<[PipelineEvent]>([])
        func append(_ event: PipelineEvent) { events.withLock { $0.append(event) } }
        func contains(_ predicate: (PipelineEvent) -> Bool) -> Bool {
            events.withLock { $0.contains(where: predicate) }
        }
    }

    func pipeline(sink: any Sink, gate: LeadershipGate, clock: ManualClock, events: EventRecorder? = nil)
        -> (Pipeline<ManualClock>, ScriptedSource)
    {
        let source = ScriptedSource(name: "sc")
        let pipeline = Pipeline(
            sources: [source], transforms: [], renderer: PipelineTests.CountingRenderer(), sinks: [sink],
            debounce: DebounceSettings(quiet: .milliseconds(10)), leadership: gate, clock: clock,
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        if let events { pipeline.observe { event in events.append(event) } }
        return (pipeline, source)
    }

    func service(_ name: String) -> Service {
        Service(key: ServiceKey(source: "sc", app: "shop", name: name), instances: [Instance(id: "1", endpoints: [])])
    }

    @Test func followerBuildsTheDesiredStateButWritesOnlyOnceItLeads() async throws {
        let clock = ManualClock()
        let gate = LeadershipGate(leading: false)
        let sink = RecordingSink()
        let events = EventRecorder()
        let (pipeline, source) = pipeline(sink: sink, gate: gate, clock: clock, events: events)
        let running = Task { try await pipeline.run() }
        var states = sink.states.makeAsyncIterator()

        let output = await source.output()
        output.snapshot([service("orders")])
        try await waitUntil { clock.sleeperCount > 0 }
        await clock.advance(by: .milliseconds(10))
        try await waitUntil {
            events.contains { if case .push = $0 { return true } else { return false } }
        }
        #expect(!events.contains { if case .sinkApplied = $0 { return true } else { return false } })

        // Winning the election pushes the current desired state at once, without a registry change.
        gate.set(true)
        let written = try #require(await states.next())
        #expect(written.groups.keys.sorted() == ["orders"])
        #expect(written.pruneAllowed)
        pipeline.shutdown()
        try await running.value
    }

    @Test func losingLeadershipCancelsThePushInFlight() async throws {
        let clock = ManualClock()
        let gate = LeadershipGate(leading: true)
        let sink = BlockingSink()
        let events = EventRecorder()
        let (pipeline, source) = pipeline(sink: sink, gate: gate, clock: clock, events: events)
        let running = Task { try await pipeline.run() }
        var started = sink.started.makeAsyncIterator()

        let output = await source.output()
        output.snapshot([service("orders")])
        try await waitUntil { clock.sleeperCount > 0 }
        await clock.advance(by: .milliseconds(10))
        #expect(await started.next() == 1)

        gate.set(false)
        try await waitUntil { sink.cancelled.withLock { $0 } == 1 }
        try await waitUntil {
            events.contains { if case .pushCancelled(1) = $0 { return true } else { return false } }
        }
        pipeline.shutdown()
        try await running.value
    }

    /// A sink whose background work runs until cancelled, counting starts.
    final class BackgroundSink: Sink {
        let name = "background"
        let starts = Mutex(0)
        let cancellations = Mutex(0)

        func apply(_ state: DesiredState) async throws -> SinkReport { SinkReport() }

        func run() async throws {
            starts.withLock { $0 += 1 }
            let (never, _) = AsyncStream.makeStream(of: Never.self)
            for await _ in never {}
            cancellations.withLock { $0 += 1 }
        }
    }

    @Test func aSinkWithoutBackgroundWorkDoesNotStopTheOthersBackgroundWork() async throws {
        let clock = ManualClock()
        let gate = LeadershipGate(leading: true)
        let background = BackgroundSink()
        let source = ScriptedSource(name: "sc")
        // RecordingSink has no background work: its run() returns at once.
        let pipeline = Pipeline(
            sources: [source], transforms: [], renderer: PipelineTests.CountingRenderer(),
            sinks: [RecordingSink(), background], debounce: DebounceSettings(quiet: .milliseconds(10)),
            leadership: gate, clock: clock, logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        let running = Task { try await pipeline.run() }
        try await waitUntil { background.starts.withLock { $0 } == 1 }
        for _ in 0..<1000 { await Task.yield() }
        #expect(background.starts.withLock { $0 } == 1, "background work was restarted")
        #expect(background.cancellations.withLock { $0 } == 0)

        // Losing leadership stops it; winning again starts it once more.
        gate.set(false)
        try await waitUntil { background.cancellations.withLock { $0 } == 1 }
        gate.set(true)
        try await waitUntil { background.starts.withLock { $0 } == 2 }
        pipeline.shutdown()
        try await running.value
    }

    @Test func gateWaitersWakeOnTheStateTheyWaitFor() async {
        let gate = LeadershipGate(leading: false)
        await gate.wait(until: false)
        let waiter = Task { await gate.wait(until: true) }
        gate.set(true)
        await waiter.value
        #expect(gate.isLeading)
        // A cancelled waiter returns instead of hanging.
        let cancelled = Task { await gate.wait(until: false) }
        cancelled.cancel()
        await cancelled.value
    }
}
