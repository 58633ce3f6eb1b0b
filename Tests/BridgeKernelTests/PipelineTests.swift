import BridgeKernel
import Logging
import Synchronization
import Testing

/// The whole pipeline with a scripted source and a recording sink, on a manual clock.
@Suite struct PipelineTests {
    /// A source whose changes the test sends by hand.
    final class ScriptedSource: RegistrySource {
        let name: String
        let outputs: AsyncStream<SourceOutput>
        let continuation: AsyncStream<SourceOutput>.Continuation

        init(name: String) {
            self.name = name
            (outputs, continuation) = AsyncStream.makeStream()
        }

        func run(output: SourceOutput) async throws {
            continuation.yield(output)
            let (idle, _) = AsyncStream.makeStream(of: Never.self)
            for await _ in idle {}
        }

        func output() async -> SourceOutput {
            var iterator = outputs.makeAsyncIterator()
            return await iterator.next()!
        }
    }

    /// A sink that records every desired state it is given.
    final class RecordingSink: Sink {
        let name = "recorder"
        let states: AsyncStream<DesiredState>
        let continuation: AsyncStream<DesiredState>.Continuation

        init() { (states, continuation) = AsyncStream.makeStream() }

        func apply(_ state: DesiredState) async throws -> SinkReport {
            continuation.yield(state)
            return SinkReport(created: state.changed.count)
        }
    }

    /// A sink whose first push fails for one object.
    final class FlakySink: Sink {
        let name = "flaky"
        let states: AsyncStream<DesiredState>
        let continuation: AsyncStream<DesiredState>.Continuation
        let calls = Mutex(0)

        init() { (states, continuation) = AsyncStream.makeStream() }

        func apply(_ state: DesiredState) async throws -> SinkReport {
            let call = calls.withLock { calls -> Int in
                calls += 1
                return calls
            }
            continuation.yield(state)
            return call == 1 ? SinkReport(failures: ["ServiceEntry ns/orders: disk full"]) : SinkReport(created: 1)
        }
    }

    struct CountingRenderer: ServiceRenderer {
        func render(_ service: Service) -> RenderResult {
            let object = ManifestObject(
                apiVersion: "v1", kind: "ServiceEntry", namespace: "ns", name: service.key.name,
                document: ["instances": .int(Int64(service.instances.count))])
            return RenderResult(group: ObjectGroup(id: service.key.name, service: service.key, objects: [object]))
        }
    }

    func service(_ name: String, instances: Int) -> Service {
        Service(
            key: ServiceKey(source: "sc", app: "shop", name: name),
            instances: (0..<instances).map { Instance(id: "\($0)", endpoints: []) })
    }

    @Test func sourceChangesReachTheSinkAfterTheQuietPeriodAndShutdownFlushes() async throws {
        let clock = ManualClock()
        let source = ScriptedSource(name: "sc")
        let sink = RecordingSink()
        let pipeline = Pipeline(
            sources: [source], transforms: [], renderer: CountingRenderer(), sinks: [sink],
            debounce: DebounceSettings(quiet: .seconds(1)), clock: clock,
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        let running = Task { try await pipeline.run() }
        var states = sink.states.makeAsyncIterator()

        let output = await source.output()
        output.snapshot([service("orders", instances: 1)])
        output.health(.healthy)
        try await waitUntil { clock.sleeperCount > 0 }
        await clock.advance(by: .seconds(1))
        let first = try #require(await states.next())
        #expect(first.groups["orders"]?.objects.first?.document["instances"] == .int(1))
        #expect(first.pruneAllowed)

        output.upsert(service("orders", instances: 3))
        try await waitUntil { clock.sleeperCount > 0 }
        // Shut down before the quiet period elapses: the pending change must still be written.
        pipeline.shutdown()
        let last = try #require(await states.next())
        #expect(last.groups["orders"]?.objects.first?.document["instances"] == .int(3))
        try await running.value
    }

    @Test func failedWritesArePushedAgainAfterTheRetryIntervalWhileTheRegistryIsQuiet() async throws {
        let clock = ManualClock()
        let source = ScriptedSource(name: "sc")
        let sink = FlakySink()
        let pipeline = Pipeline(
            sources: [source], transforms: [], renderer: CountingRenderer(), sinks: [sink],
            debounce: DebounceSettings(quiet: .milliseconds(10)), sinkRetryInterval: .seconds(5), clock: clock,
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        let running = Task { try await pipeline.run() }
        var states = sink.states.makeAsyncIterator()
        let output = await source.output()
        output.snapshot([service("orders", instances: 1)])
        try await waitUntil { clock.sleeperCount > 0 }
        await clock.advance(by: .milliseconds(10))
        let first = try #require(await states.next())
        try await waitUntil { clock.sleeperCount > 0 }
        await clock.advance(by: .seconds(4))
        #expect(sink.calls.withLock { $0 } == 1)
        await clock.advance(by: .seconds(1))
        let second = try #require(await states.next())
        #expect(second.groups == first.groups)
        #expect(second.revision == first.revision + 1)
        pipeline.shutdown()
        try await running.value
    }

    @Test func unhealthySourceHoldsBackPruning() async throws {
        let clock = ManualClock()
        let source = ScriptedSource(name: "sc")
        let sink = RecordingSink()
        let pipeline = Pipeline(
            sources: [source], transforms: [], renderer: CountingRenderer(), sinks: [sink],
            debounce: DebounceSettings(quiet: .milliseconds(10)), clock: clock,
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        let running = Task { try await pipeline.run() }
        var states = sink.states.makeAsyncIterator()
        let output = await source.output()
        output.snapshot([service("a", instances: 1)])
        output.health(.unhealthy(reason: "connection refused"))
        try await waitUntil { clock.sleeperCount > 0 }
        await clock.advance(by: .milliseconds(10))
        let state = try #require(await states.next())
        #expect(!state.pruneAllowed)
        #expect(state.groups.count == 1)
        pipeline.shutdown()
        try await running.value
    }
}

/// Polls `condition` with task yields (no wall-clock sleeps), failing after many attempts.
func waitUntil(_ condition: () -> Bool) async throws {
    for _ in 0..<100_000 {
        if condition() { return }
        await Task.yield()
    }
    Issue.record("condition never became true")
}
