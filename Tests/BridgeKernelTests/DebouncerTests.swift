import BridgeKernel
import Testing

/// The debounce stage driven by a manual clock: time only moves when the test advances it.
@Suite struct DebouncerTests {
    func upsert(_ name: String, instances: Int = 1, source: String = "sc") -> SourceUpdate {
        let key = ServiceKey(source: source, app: "shop", name: name)
        let list = (0..<instances).map {
            Instance(id: "\(name)-\($0)", endpoints: [Endpoint(scheme: "rest", host: "10.0.0.\($0 + 1)", port: 8080)])
        }
        return SourceUpdate(source: source, change: .upsert(Service(key: key, instances: list)))
    }

    @Test func burstIsPushedOnceAfterTheQuietPeriodWithTheNetChange() async throws {
        let clock = ManualClock()
        let debouncer = Debouncer(settings: DebounceSettings(), clock: clock)
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

    @Test func steadyStreamIsPushedAtTheMaxDelay() async throws {
        let clock = ManualClock()
        let debouncer = Debouncer(settings: DebounceSettings(), clock: clock)
        var batches = debouncer.batches.makeAsyncIterator()
        for index in 0..<20 {
            await debouncer.receive(upsert("svc-\(index)"))
            if index < 19 { await clock.advance(by: .milliseconds(500)) }
        }
        // 9.5 s have passed since the first update; updates 0...19 are pending, 20 > nothing pushed yet.
        #expect(await debouncer.pendingCount == 20)
        await clock.advance(by: .milliseconds(500))
        let batch = try #require(await batches.next())
        #expect(batch.updateCount == 20)
    }

    @Test func burstOverMaxEventsIsPushedWithoutWaiting() async throws {
        let clock = ManualClock()
        let debouncer = Debouncer(settings: DebounceSettings(maxEvents: 5), clock: clock)
        var batches = debouncer.batches.makeAsyncIterator()
        for index in 0..<6 { await debouncer.receive(upsert("svc-\(index)")) }
        let batch = try #require(await batches.next())
        #expect(batch.updateCount == 6)
        #expect(await debouncer.pendingCount == 0)
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
        let debouncer = Debouncer(settings: DebounceSettings(), clock: clock)
        var batches = debouncer.batches.makeAsyncIterator()
        await debouncer.receive(upsert("a"))
        await debouncer.finish()
        #expect(try #require(await batches.next()).updateCount == 1)
        #expect(await batches.next() == nil)
    }
}
