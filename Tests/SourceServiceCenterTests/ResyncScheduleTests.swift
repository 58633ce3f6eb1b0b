import Testing

@testable import SourceServiceCenter

/// The resync spread: every scope re-found once per interval, a share per poll, computed on plain instants.
@Suite struct ResyncScheduleTests {
    let start = ContinuousClock.Instant.now

    func scopes(_ count: Int) -> [WatchScope] {
        (0..<count).map { WatchScope(SCService(serviceId: "s\($0)", appId: "app-\($0)", serviceName: "x")) }.sorted()
    }

    func at(_ seconds: Int) -> ContinuousClock.Instant { start.advanced(by: .seconds(seconds)) }

    @Test func everyScopeIsReFoundOncePerIntervalASharePerPoll() {
        var schedule = ResyncSchedule<ContinuousClock.Instant>(interval: .seconds(60))
        let all = scopes(12)
        #expect(schedule.due(all, at: at(0)).isEmpty, "the first poll finds everything anyway")
        var found: [WatchScope] = []
        for poll in 1...12 {
            let due = schedule.due(all, at: at(poll * 5))
            #expect(due.count == 1)
            found += due
        }
        #expect(found == all)
    }

    @Test func fractionsCarryOverSoFewScopesAreStillCoveredWithinTheInterval() {
        var schedule = ResyncSchedule<ContinuousClock.Instant>(interval: .seconds(60))
        let all = scopes(5)
        _ = schedule.due(all, at: at(0))
        var found: [WatchScope] = []
        for poll in 1...12 { found += schedule.due(all, at: at(poll * 5)) }
        #expect(found == all)
    }

    @Test func aLongPauseOwesAtMostOneRound() {
        var schedule = ResyncSchedule<ContinuousClock.Instant>(interval: .seconds(60))
        let all = scopes(4)
        _ = schedule.due(all, at: at(0))
        #expect(schedule.due(all, at: at(600)) == all)
        #expect(schedule.due(all, at: at(601)).isEmpty)
    }
}
