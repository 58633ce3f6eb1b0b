import NIOConcurrencyHelpers

/// How the simulator turns away a watch socket while ``SimulatorFaults/refuseWatchSockets(_:)`` is on.
public enum WatchRefusal: String, Sendable, Hashable {
    /// Answer the upgrade request with HTTP 500 and a 500003 body.
    case internalError
    /// Close the TCP connection without answering.
    case dropConnection
}

/// Switchable failures of the simulated Service Center. Thread-safe; every change applies to the next request.
///
/// Listener-level faults (drop all watch sockets now, go away and come back) are methods of
/// ``ServiceCenterSimulator`` because they act on connections rather than on requests.
public final class SimulatorFaults: Sendable {
    struct FailureRule: Sendable {
        var matcher: RequestMatcher
        var remaining: Int?
    }

    struct LatencyRule: Sendable {
        var matcher: RequestMatcher
        var delay: Duration
    }

    struct State: Sendable {
        var failures: [FailureRule] = []
        var latencies: [LatencyRule] = []
        var watchRefusal: WatchRefusal?
        var holds: [RequestMatcher] = []
        var held: [CheckedContinuation<Void, Never>] = []
        var lostDependencyRegistrations = 0
        var unhealthy = false
    }

    private let state = NIOLockedValueBox(State())

    init() {}

    /// Answers matching requests with HTTP 500 and `{"errorCode":"500003",...}`; `count` limits how many
    /// (nil: until cleared).
    public func failRequests(matching matcher: RequestMatcher = .all, count: Int? = nil) {
        state.withLockedValue { $0.failures.append(FailureRule(matcher: matcher, remaining: count)) }
    }

    /// Delays matching requests (and watch upgrades) before they are handled.
    public func addLatency(_ delay: Duration, matching matcher: RequestMatcher = .all) {
        state.withLockedValue { $0.latencies.append(LatencyRule(matcher: matcher, delay: delay)) }
    }

    /// Holds matching requests before they are handled until ``releaseHeldRequests()`` (or ``clear()``), so a
    /// test can keep a request in flight for exactly as long as it needs.
    public func holdRequests(matching matcher: RequestMatcher) {
        state.withLockedValue { $0.holds.append(matcher) }
    }

    /// Lets every held request go on and stops holding new ones.
    public func releaseHeldRequests() {
        let held = state.withLockedValue { state in
            defer { (state.holds, state.held) = ([], []) }
            return state.held
        }
        for request in held { request.resume() }
    }

    /// How many requests are being held now.
    public var heldRequestCount: Int { state.withLockedValue { $0.held.count } }

    /// Waits while a hold matches this request.
    func waitIfHeld(method: String, path: String, route: String) async {
        // Every request comes here: no continuation unless a hold is set.
        guard state.withLockedValue({ !$0.holds.isEmpty }) else { return }
        await withCheckedContinuation { (request: CheckedContinuation<Void, Never>) in
            let hold = state.withLockedValue { state in
                guard state.holds.contains(where: { $0.matches(method: method, path: path, route: route) }) else {
                    return false
                }
                state.held.append(request)
                return true
            }
            if !hold { request.resume() }
        }
    }

    /// Turns new watch sockets away (`nil` accepts them again). Open sockets are not affected.
    public func refuseWatchSockets(_ refusal: WatchRefusal?) {
        state.withLockedValue { $0.watchRefusal = refusal }
    }

    /// The next `count` finds that would record a consumer→provider dependency do not record it, reproducing the
    /// asynchronous dependency race of Service Center issue #584 (events in that window never reach the watcher).
    public func loseDependencyRegistrations(forNextFinds count: Int) {
        state.withLockedValue { $0.lostDependencyRegistrations = max(0, count) }
    }

    /// Makes `GET /health` answer 400002 "Server is Unhealthy".
    public func setUnhealthy(_ unhealthy: Bool) {
        state.withLockedValue { $0.unhealthy = unhealthy }
    }

    /// Removes every request-level fault and lets held requests go on.
    public func clear() {
        releaseHeldRequests()
        state.withLockedValue { $0 = State() }
    }

    var snapshot: State { state.withLockedValue { $0 } }

    /// Whether this request must fail; consumes one use of a counted rule.
    func consumeFailure(method: String, path: String, route: String) -> Bool {
        state.withLockedValue { state in
            guard
                let index = state.failures.firstIndex(where: {
                    $0.matcher.matches(method: method, path: path, route: route) && ($0.remaining ?? 1) > 0
                })
            else { return false }
            if let remaining = state.failures[index].remaining {
                state.failures[index].remaining = remaining - 1
                if remaining - 1 == 0 { state.failures.remove(at: index) }
            }
            return true
        }
    }

    /// Whether a failure rule matches, without consuming it.
    func wouldFail(method: String, path: String, route: String) -> Bool {
        state.withLockedValue { state in
            state.failures.contains {
                $0.matcher.matches(method: method, path: path, route: route) && ($0.remaining ?? 1) > 0
            }
        }
    }

    /// Total injected delay for this request.
    func latency(method: String, path: String, route: String) -> Duration {
        state.withLockedValue { state in
            state.latencies.filter { $0.matcher.matches(method: method, path: path, route: route) }
                .reduce(Duration.zero) { $0 + $1.delay }
        }
    }

    var watchRefusal: WatchRefusal? { state.withLockedValue { $0.watchRefusal } }

    var isUnhealthy: Bool { state.withLockedValue { $0.unhealthy } }

    /// Whether this dependency registration is to be lost; consumes one.
    func consumeDependencyLoss() -> Bool {
        state.withLockedValue { state in
            guard state.lostDependencyRegistrations > 0 else { return false }
            state.lostDependencyRegistrations -= 1
            return true
        }
    }

    /// Dependency registrations still to be lost.
    public var pendingLostDependencyRegistrations: Int { state.withLockedValue { $0.lostDependencyRegistrations } }
}
