import NIOConcurrencyHelpers

/// Counts requests per route, keyed `"{METHOD} {route pattern}"` (e.g.
/// `GET /v4/:project/registry/microservices`); unmatched requests count under `"{METHOD} (unmatched)"`.
final class RequestCounters: Sendable {
    private let counts = NIOLockedValueBox([String: Int]())

    static func key(method: String, route: String) -> String { "\(method) \(route)" }

    static let unmatchedRoute = "(unmatched)"

    func increment(method: String, route: String) {
        counts.withLockedValue { $0[Self.key(method: method, route: route), default: 0] += 1 }
    }

    var snapshot: [String: Int] { counts.withLockedValue { $0 } }

    func reset() {
        counts.withLockedValue { $0.removeAll() }
    }
}
