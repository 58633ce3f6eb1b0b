import BridgeKernel
import Testing

/// The debouncer's three rules, checked on plain instants (no clocks, no sleeps).
@Suite struct DebounceTimerTests {
    let start = ContinuousClock.Instant.now

    func at(_ milliseconds: Int) -> ContinuousClock.Instant { start.advanced(by: .milliseconds(milliseconds)) }

    @Test func singleUpdateIsDueAfterTheQuietPeriod() {
        var timer = DebounceTimer<String, ContinuousClock.Instant>(settings: DebounceSettings(maxDelay: .seconds(10)))
        #expect(timer.deadline == nil)
        #expect(timer.record("a", at: at(0)) == false)
        #expect(timer.deadline == at(1000))
        #expect(!timer.isDue(at: at(999)))
        #expect(timer.isDue(at: at(1000)))
    }

    @Test func eachUpdateRestartsTheQuietPeriod() {
        var timer = DebounceTimer<String, ContinuousClock.Instant>(settings: DebounceSettings(maxDelay: .seconds(10)))
        _ = timer.record("a", at: at(0))
        _ = timer.record("a", at: at(500))
        #expect(timer.deadline == at(1500))
        #expect(!timer.isDue(at: at(1000)))
    }

    @Test func steadyStreamIsPushedAtTheMaxDelay() {
        var timer = DebounceTimer<String, ContinuousClock.Instant>(settings: DebounceSettings(maxDelay: .seconds(10)))
        // 20 updates 500 ms apart: the quiet period never elapses, the max delay (10 s) does.
        for index in 0..<20 { _ = timer.record("a", at: at(index * 500)) }
        #expect(timer.deadline == at(10_000))
        #expect(timer.isDue(at: at(10_000)))
    }

    @Test func burstOverMaxEventsMustBePushedAtOnce() {
        var timer = DebounceTimer<String, ContinuousClock.Instant>(
            settings: DebounceSettings(maxDelay: .seconds(10), maxEvents: 3))
        #expect(timer.record("a", at: at(0)) == false)
        #expect(timer.record("a", at: at(1)) == false)
        #expect(timer.record("a", at: at(2)) == false)
        #expect(timer.record("a", at: at(3)) == true)
    }

    @Test func eachKeyHasABurstOfItsOwn() {
        var timer = DebounceTimer<String, ContinuousClock.Instant>(settings: DebounceSettings(maxDelay: .seconds(10)))
        _ = timer.record("busy", at: at(0))
        _ = timer.record("quiet", at: at(100))
        _ = timer.record("busy", at: at(600))
        #expect(timer.deadline(of: "quiet") == at(1100))
        #expect(timer.deadline(of: "busy") == at(1600))
        #expect(timer.deadline == at(1100))
        #expect(timer.takeDue(by: at(1099)).keys.isEmpty)
        #expect(timer.takeDue(by: at(1100)).keys == ["quiet"])
        #expect(timer.pendingCount == 2)
        #expect(timer.deadline == at(1600))
        #expect(timer.takeDue(by: at(5000)).keys == ["busy"])
        #expect(timer.pendingCount == 0)
        #expect(timer.deadline == nil)
    }

    @Test func takenBurstsTellWhenTheirFirstUpdateArrived() {
        var timer = DebounceTimer<String, ContinuousClock.Instant>(settings: DebounceSettings(maxDelay: .seconds(10)))
        _ = timer.record("a", at: at(0))
        _ = timer.record("b", at: at(200))
        _ = timer.record("a", at: at(300))
        #expect(timer.firstPendingUpdate == at(0))
        let taken = timer.takeDue(by: at(1300))
        #expect(taken.keys == ["b", "a"])
        #expect(taken.firstUpdate == at(0))
        #expect(timer.firstPendingUpdate == nil)
        #expect(timer.takeDue(by: at(5000)).firstUpdate == nil)
    }

    @Test func keysAreTakenEarliestDeadlineFirst() {
        var timer = DebounceTimer<String, ContinuousClock.Instant>(settings: DebounceSettings(maxDelay: .seconds(10)))
        for (index, key) in ["c", "a", "b"].enumerated() { _ = timer.record(key, at: at(index * 10)) }
        _ = timer.record("c", at: at(30))
        #expect(timer.takeDue(by: at(2000)).keys == ["a", "b", "c"])
    }

    @Test func takingTheEarliestStopsOnceFewEnoughUpdatesArePending() {
        var timer = DebounceTimer<String, ContinuousClock.Instant>(settings: DebounceSettings(maxDelay: .seconds(10)))
        _ = timer.record("late", at: at(300))
        _ = timer.record("early", at: at(0))
        _ = timer.record("early", at: at(50))
        _ = timer.record("middle", at: at(100))
        // "early" (2 updates, due at 1050) then "middle" (due at 1100) leave one update.
        let (keys, firstUpdate) = timer.takeEarliest(leaving: 1)
        #expect(keys == ["early", "middle"])
        #expect(firstUpdate == at(0))
        #expect(timer.pendingCount == 1)
        #expect(timer.deadline == at(1300))
    }

    @Test func maxEventsCountsUpdatesUnderEveryKey() {
        var timer = DebounceTimer<String, ContinuousClock.Instant>(
            settings: DebounceSettings(maxDelay: .seconds(10), maxEvents: 2))
        #expect(timer.record("a", at: at(0)) == false)
        #expect(timer.record("b", at: at(1)) == false)
        #expect(timer.record("a", at: at(2)) == true)
    }

    @Test func absorbedKeysKeepTheirFirstUpdateForTheMaxDelay() {
        var timer = DebounceTimer<String, ContinuousClock.Instant>(settings: DebounceSettings(maxDelay: .seconds(10)))
        _ = timer.record("svc-1", at: at(0))
        _ = timer.record("svc-2", at: at(300))
        _ = timer.record("other", at: at(400))
        timer.absorb(into: "all") { $0.hasPrefix("svc-") }
        _ = timer.record("all", at: at(500))
        #expect(timer.pendingKeys == 2)
        #expect(timer.pendingCount == 4)
        #expect(timer.deadline(of: "svc-1") == nil)
        #expect(timer.deadline(of: "all") == at(1500))
        // Keep the merged key busy: its max delay counts from svc-1's first update at 0.
        for step in 1...20 { _ = timer.record("all", at: at(500 + step * 500)) }
        #expect(timer.deadline(of: "all") == at(10_000))
    }

    @Test func resetForgetsTheBurst() {
        var timer = DebounceTimer<String, ContinuousClock.Instant>(settings: DebounceSettings(maxDelay: .seconds(10)))
        _ = timer.record("a", at: at(0))
        timer.reset()
        #expect(timer.deadline == nil)
        #expect(timer.pendingCount == 0)
        _ = timer.record("a", at: at(5000))
        #expect(timer.deadline == at(6000))
    }

    @Test func byDefaultEveryUpdateIsDueWithinOneQuietPeriod() {
        let settings = DebounceSettings()
        #expect(settings.maxDelay == settings.quiet)
        var timer = DebounceTimer<String, ContinuousClock.Instant>(settings: settings)
        // Updates 400 ms apart never leave the key quiet for 1 s; it is still due 1 s after its first update.
        for milliseconds in [0, 400, 800] { _ = timer.record("a", at: at(milliseconds)) }
        #expect(timer.deadline == at(1000))
        #expect(timer.takeDue(by: at(1000)).keys == ["a"])
        // The next update opens the next window.
        _ = timer.record("a", at: at(1200))
        #expect(timer.deadline == at(2200))
    }

    @Test func customSettingsAreHonoured() {
        var timer = DebounceTimer<String, ContinuousClock.Instant>(
            settings: DebounceSettings(quiet: .milliseconds(100), maxDelay: .milliseconds(250), maxEvents: 1000))
        _ = timer.record("a", at: at(0))
        _ = timer.record("a", at: at(90))
        _ = timer.record("a", at: at(180))
        #expect(timer.deadline == at(250))
    }
}
