/// The (environment, app) a watcher consumer covers. Service Center forces a provider's environment to the
/// consumer's and refuses cross-app finds, so one consumer per pair is needed.
struct WatchScope: Hashable, Sendable, Comparable, CustomStringConvertible {
    var environment: String
    var appId: String

    init(_ service: SCService) {
        environment = service.environment
        appId = service.appId
    }

    static func < (lhs: WatchScope, rhs: WatchScope) -> Bool {
        (lhs.environment, lhs.appId) < (rhs.environment, rhs.appId)
    }

    var description: String { "\(appId)/\(environment.isEmpty ? "-" : environment)" }
}

/// What the watch tasks tell the sync loop.
enum SyncSignal: Sendable {
    case watchConnected(WatchScope, consumerId: String, at: ContinuousClock.Instant)
    case watchFrame(WatchScope, consumerId: String, SCWatchFrame)
    case watchLost(WatchScope, consumerId: String, reason: String)
}
