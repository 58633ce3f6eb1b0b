import BridgeKernel
import Testing

/// The debouncer's three rules, checked on plain instants (no clocks, no sleeps).
@Suite struct DebounceTimerTests {
    let start = ContinuousClock.Instant.now

    func at(_ milliseconds: Int) -> ContinuousClock.Instant { start.advanced(by: .milliseconds(milliseconds)) }

    @Test func singleUpdateIsDueAfterTheQuietPeriod() {
        var timer = DebounceTimer<ContinuousClock.Instant>(settings: DebounceSettings())
        #expect(timer.deadline == nil)
        #expect(timer.record(at: at(0)) == false)
        #expect(timer.deadline == at(1000))
        #expect(!timer.isDue(at: at(999)))
        #expect(timer.isDue(at: at(1000)))
    }

    @Test func eachUpdateRestartsTheQuietPeriod() {
        var timer = DebounceTimer<ContinuousClock.Instant>(settings: DebounceSettings())
        _ = timer.record(at: at(0))
        _ = timer.record(at: at(500))
        #expect(timer.deadline == at(1500))
        #expect(!timer.isDue(at: at(1000)))
    }

    @Test func steadyStreamIsPushedAtTheMaxDelay() {
        var timer = DebounceTimer<ContinuousClock.Instant>(settings: DebounceSettings())
        // 20 updates 500 ms apart: the quiet period never elapses, the max delay (10 s) does.
        for index in 0..<20 { _ = timer.record(at: at(index * 500)) }
        #expect(timer.deadline == at(10_000))
        #expect(timer.isDue(at: at(10_000)))
    }

    @Test func burstOverMaxEventsMustBePushedAtOnce() {
        var timer = DebounceTimer<ContinuousClock.Instant>(settings: DebounceSettings(maxEvents: 3))
        #expect(timer.record(at: at(0)) == false)
        #expect(timer.record(at: at(1)) == false)
        #expect(timer.record(at: at(2)) == false)
        #expect(timer.record(at: at(3)) == true)
    }

    @Test func resetForgetsTheBurst() {
        var timer = DebounceTimer<ContinuousClock.Instant>(settings: DebounceSettings())
        _ = timer.record(at: at(0))
        timer.reset()
        #expect(timer.deadline == nil)
        #expect(timer.pendingCount == 0)
        _ = timer.record(at: at(5000))
        #expect(timer.deadline == at(6000))
    }

    @Test func customSettingsAreHonoured() {
        var timer = DebounceTimer<ContinuousClock.Instant>(
            settings: DebounceSettings(quiet: .milliseconds(100), maxDelay: .milliseconds(250), maxEvents: 1000))
        _ = timer.record(at: at(0))
        _ = timer.record(at: at(90))
        _ = timer.record(at: at(180))
        #expect(timer.deadline == at(250))
    }
}
