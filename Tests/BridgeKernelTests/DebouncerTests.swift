import BridgeKernel
import Testing

/// The debounce stage driven by a manual clock: time only moves when the test advances it.
/// A broken wake-up shows as a hang, so every test has a time limit.
@Suite(.timeLimit(.minutes(1))) struct DebouncerTests {
    func upsert(_ name: String, instances: Int = 1, source: String = "sc") -> SourceUpdate {
        let key = ServiceKey(source: source, app: "shop", name: name)
        let list = (0..<instances).map {
            Instance(id: "\(name)-\($0)", endpoints: [Endpoint(scheme: "rest", host: "10.0.0.\($0 + 1)", port: 8080)])
        }
        return SourceUpdate(source: source, change: .upsert(Service(key: key, instances: list)))
    }

    @Test func burstIsPushedOnceAfterTheQuietPeriodWithTheNetChange() async throws {
        let clock = ManualClock()
        let debouncer = Debouncer(settings: DebounceSettings(maxDelay: .seconds(10)), clock: clock)
        var batches = debouncer.batches.makeAsyncIterator()

        await debouncer.receive(upsert("orders", instances: 1))
        await clock.advance(by: .milliseconds(500))
        await debouncer.receive(upsert("orders", instances: 2))
        await debouncer.receive(upsert("payments"))
        await clock.advance(by: .milliseconds(999))
        #expect(await debouncer.pendingCount == 3)

        await clock.advance(by: .milliseconds(1))
        let batch = try #require(await batches.next())
        #expect(batch.updateCount == 3)
        #expect(batch.services.count == 2)
        let orders = try #require(batch.services[ServiceKey(source: "sc", app: "shop", name: "orders")] ?? nil)
        #expect(orders.instances.count == 2)
        #expect(await debouncer.pendingCount == 0)
    }

    @Test func serviceChangingAllTheTimeIsPushedAtTheMaxDelay() async throws {
        let clock = ManualClock()
        let debouncer = Debouncer(settings: DebounceSettings(maxDelay: .seconds(10)), clock: clock)
        var batches = debouncer.batches.makeAsyncIterator()
        for index in 0..<20 {
            await debouncer.receive(upsert("flapping", instances: index + 1))
            if index < 19 { await clock.advance(by: .milliseconds(500)) }
        }
        // 9.5 s since the first update, each 500 ms after the previous: the quiet period never elapsed.
        #expect(await debouncer.pendingCount == 20)
        await clock.advance(by: .milliseconds(500))
        let batch = try #require(await batches.next())
        #expect(batch.updateCount == 20)
        let flapping = try #require(batch.services[ServiceKey(source: "sc", app: "shop", name: "flapping")] ?? nil)
        #expect(flapping.instances.count == 20)
    }

    @Test func byDefaultAServiceChangingAllTheTimeIsPushedEveryQuietPeriod() async throws {
        let clock = ManualClock()
        let debouncer = Debouncer(settings: DebounceSettings(), clock: clock)
        var batches = debouncer.batches.makeAsyncIterator()
        // Changes every 250 ms: each push carries the changes of one quiet period, and none waits longer.
        for index in 0..<4 {
            await debouncer.receive(upsert("flapping", instances: index + 1))
            await clock.advance(by: .milliseconds(250))
        }
        let first = try #require(await batches.next())
        #expect(first.updateCount == 4)
        for index in 4..<8 {
            await debouncer.receive(upsert("flapping", instances: index + 1))
            await clock.advance(by: .milliseconds(250))
        }
        let second = try #require(await batches.next())
        #expect(second.updateCount == 4)
        let flapping = try #require(second.services[ServiceKey(source: "sc", app: "shop", name: "flapping")] ?? nil)
        #expect(flapping.instances.count == 8)
    }

    @Test func busyServiceDoesNotHoldBackAQuietOne() async throws {
        let clock = ManualClock()
        let debouncer = Debouncer(settings: DebounceSettings(maxDelay: .seconds(10)), clock: clock)
        var batches = debouncer.batches.makeAsyncIterator()
        await debouncer.receive(upsert("quiet"))
        for _ in 0..<4 {
            await debouncer.receive(upsert("busy"))
            await clock.advance(by: .milliseconds(300))
        }
        // 1.2 s: "quiet" fell quiet at 1 s, "busy" changed 300 ms ago.
        let first = try #require(await batches.next())
        #expect(first.services.keys.map(\.name) == ["quiet"])
        #expect(first.updateCount == 1)
        #expect(await debouncer.pendingCount == 4)
        await clock.advance(by: .milliseconds(700))
        let second = try #require(await batches.next())
        #expect(second.services.keys.map(\.name) == ["busy"])
        #expect(second.updateCount == 4)
    }

    @Test func servicesFallingQuietWithinTheBatchWindowArePushedTogether() async throws {
        let clock = ManualClock()
        let debouncer = Debouncer(settings: DebounceSettings(maxDelay: .seconds(10)), clock: clock)
        #expect(debouncer.batchWindow == .milliseconds(50))
        var batches = debouncer.batches.makeAsyncIterator()
        await debouncer.receive(upsert("a"))
        await clock.advance(by: .milliseconds(40))
        await debouncer.receive(upsert("b"))
        await clock.advance(by: .milliseconds(20))
        await debouncer.receive(upsert("c"))
        await clock.advance(by: .milliseconds(940))
        // "a" is due now (1 s), "b" 40 ms later (inside the window), "c" 60 ms later (outside).
        let batch = try #require(await batches.next())
        #expect(batch.services.keys.map(\.name) == ["a", "b"])
        await clock.advance(by: .milliseconds(60))
        #expect(try #require(await batches.next()).services.keys.map(\.name) == ["c"])
    }

    @Test func keysFallingDueWhileTheConsumerIsBusyAreTakenInOneBatch() async throws {
        let clock = ManualClock()
        let debouncer = Debouncer(settings: DebounceSettings(quiet: .milliseconds(100)), clock: clock)
        var batches = debouncer.batches.makeAsyncIterator()
        for name in ["a", "b", "c"] {
            await debouncer.receive(upsert(name))
            await clock.advance(by: .milliseconds(200))
        }
        let batch = try #require(await batches.next())
        #expect(batch.services.keys.map(\.name) == ["a", "b", "c"])
        #expect(batch.updateCount == 3)
    }

    @Test func changesAfterASnapshotWaitForItAndArePushedWithIt() async throws {
        let clock = ManualClock()
        let debouncer = Debouncer(settings: DebounceSettings(maxDelay: .seconds(10)), clock: clock)
        var batches = debouncer.batches.makeAsyncIterator()
        await debouncer.receive(upsert("before"))
        await debouncer.receive(upsert("elsewhere", source: "eureka"))
        await clock.advance(by: .milliseconds(500))
        await debouncer.receive(SourceUpdate(source: "sc", change: .snapshot([])))
        // 1 s: "elsewhere" is due; "before" would be too, but the snapshot took it over (due at 1.5 s).
        await clock.advance(by: .milliseconds(500))
        let other = try #require(await batches.next())
        #expect(other.services.keys.map(\.name) == ["elsewhere"])
        #expect(other.snapshots.isEmpty)
        await debouncer.receive(upsert("after"))
        // The change after the snapshot waits with it: everything of "sc" is now due at 2 s.
        await clock.advance(by: .milliseconds(999))
        #expect(await debouncer.pendingCount == 3)
        await clock.advance(by: .milliseconds(1))
        let batch = try #require(await batches.next())
        #expect(batch.snapshots["sc"] == [])
        #expect(batch.services.keys.map(\.name) == ["after"])
        #expect(batch.updateCount == 3)
        #expect(batch.updatesBySource == ["sc": 3])
    }

    @Test func eachBatchTellsWhenItsOldestUpdateArrived() async throws {
        let clock = ManualClock()
        let debouncer = Debouncer(settings: DebounceSettings(maxDelay: .seconds(10), maxEvents: 3), clock: clock)
        var batches = debouncer.batches.makeAsyncIterator()
        let start = clock.now
        await debouncer.receive(upsert("a"))
        await clock.advance(by: .milliseconds(600))
        await debouncer.receive(upsert("b"))
        await clock.advance(by: .milliseconds(400))
        // "a" is due; "b" (due at 1.6 s) stays, and its wait is not counted from "a"'s arrival.
        _ = try #require(await batches.next())
        #expect(await debouncer.lastBatchFirstUpdate == start)
        await clock.advance(by: .milliseconds(600))
        _ = try #require(await batches.next())
        #expect(await debouncer.lastBatchFirstUpdate == start.advanced(by: .milliseconds(600)))
        // A flush over maxEvents counts from the oldest of everything it takes.
        await debouncer.receive(upsert("c"))
        await clock.advance(by: .milliseconds(100))
        for name in ["d", "e", "f"] { await debouncer.receive(upsert(name)) }
        let flushed = try #require(await batches.next())
        #expect(flushed.updateCount == 4)
        #expect(await debouncer.lastBatchFirstUpdate == start.advanced(by: .milliseconds(1600)))
        await debouncer.requestRepush()
        #expect(try #require(await batches.next()).isEmpty)
        #expect(await debouncer.lastBatchFirstUpdate == nil)
    }

    @Test func repushHandsOverAnEmptyBatchWhenNothingIsPending() async throws {
        let clock = ManualClock()
        let debouncer = Debouncer(settings: DebounceSettings(maxDelay: .seconds(10)), clock: clock)
        var batches = debouncer.batches.makeAsyncIterator()
        await debouncer.requestRepush()
        let batch = try #require(await batches.next())
        #expect(batch.isEmpty)
    }

    @Test func cancellingTheConsumerEndsTheBatches() async throws {
        let clock = ManualClock()
        let debouncer = Debouncer(settings: DebounceSettings(maxDelay: .seconds(10)), clock: clock)
        let consumer = Task {
            var count = 0
            for await _ in debouncer.batches { count += 1 }
            return count
        }
        await debouncer.receive(upsert("a"))
        consumer.cancel()
        #expect(await consumer.value == 0)
    }

    @Test func burstOverMaxEventsWhileTheConsumerIsBusyIsPushedWholeWithoutWaiting() async throws {
        let clock = ManualClock()
        let debouncer = Debouncer(settings: DebounceSettings(maxDelay: .seconds(10), maxEvents: 5), clock: clock)
        var batches = debouncer.batches.makeAsyncIterator()
        // Nobody is pulling while these arrive (the consumer is writing): everything goes into its next pull.
        for index in 0..<6 { await debouncer.receive(upsert("svc-\(index)")) }
        let batch = try #require(await batches.next())
        #expect(batch.updateCount == 6)
        #expect(await debouncer.pendingCount == 0)
    }

    @Test func overMaxEventsWhileTheConsumerWaitsOnlyTheServicesDueFirstAreHandedOver() async throws {
        let clock = ManualClock()
        let debouncer = Debouncer(settings: DebounceSettings(maxDelay: .seconds(10), maxEvents: 20), clock: clock)
        for index in 0..<20 {
            await debouncer.receive(upsert("svc-\(index)"))
            await clock.advance(by: .milliseconds(10))
        }
        let consumer = Task {
            var batches = debouncer.batches.makeAsyncIterator()
            return await batches.next()
        }
        // The consumer waits for svc-0's quiet period to end.
        try await waitUntil { clock.sleeperCount > 0 }
        await debouncer.receive(upsert("svc-20"))
        // 21 pending > 20: the services due first go now, until 18 (nine tenths) are left; the others keep their
        // own bursts instead of all restarting at this instant.
        let batch = try #require(await consumer.value)
        #expect(batch.services.keys.map(\.name).sorted() == ["svc-0", "svc-1", "svc-2"])
        #expect(await debouncer.pendingCount == 18)
    }

    @Test func updatesAfterAPushStartANewBurst() async throws {
        let clock = ManualClock()
        let debouncer = Debouncer(settings: DebounceSettings(quiet: .milliseconds(100)), clock: clock)
        var batches = debouncer.batches.makeAsyncIterator()
        await debouncer.receive(upsert("a"))
        await clock.advance(by: .milliseconds(100))
        #expect(try #require(await batches.next()).updateCount == 1)
        await debouncer.receive(upsert("b"))
        await clock.advance(by: .milliseconds(100))
        let second = try #require(await batches.next())
        #expect(second.services.keys.map(\.name) == ["b"])
    }

    @Test func finishFlushesThePendingBurstAndEndsTheStream() async throws {
        let clock = ManualClock()
        let debouncer = Debouncer(settings: DebounceSettings(maxDelay: .seconds(10)), clock: clock)
        var batches = debouncer.batches.makeAsyncIterator()
        await debouncer.receive(upsert("a"))
        await debouncer.finish()
        #expect(try #require(await batches.next()).updateCount == 1)
        #expect(await batches.next() == nil)
    }
}
