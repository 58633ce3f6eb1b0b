import Foundation
import Synchronization

/// Supplies the bearer token for each request.
///
/// A token file is re-read at most once per ``refreshInterval`` (client-go uses one minute) and at once after a
/// 401, so a rotated service-account token is picked up without a restart. The token is never logged.
final class BearerTokenProvider: Sendable {
    private struct Cached {
        var token: String?
        var readAt: ContinuousClock.Instant?
    }

    private let credentials: ClusterConnection.Credentials
    private let refreshInterval: Duration
    private let cache = Mutex(Cached())

    init(credentials: ClusterConnection.Credentials, refreshInterval: Duration = .seconds(60)) {
        self.credentials = credentials
        self.refreshInterval = refreshInterval
    }

    /// Whether a 401 could be cured by reading the token again.
    var canRefresh: Bool {
        if case .tokenFile = credentials { return true }
        return false
    }

    /// The `Authorization` header value, or `nil` when the connection uses no token.
    func authorization() throws(KubernetesAPIError) -> String? {
        switch credentials {
        case .none: return nil
        case .token(let token): return "Bearer \(token)"
        case .tokenFile(let path):
            let now = ContinuousClock.now
            if let cached = cache.withLock({ state -> String? in
                guard let readAt = state.readAt, readAt.duration(to: now) < refreshInterval else { return nil }
                return state.token
            }) {
                return "Bearer \(cached)"
            }
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw KubernetesAPIError(
                    .unauthorized, method: "", path: "", status: nil,
                    message: "the token file \(path) cannot be read")
            }
            let token = text.trimmingCharacters(in: .whitespacesAndNewlines)
            cache.withLock { $0 = Cached(token: token, readAt: now) }
            return "Bearer \(token)"
        }
    }

    /// Forgets the cached token so the next request reads the file again.
    func invalidate() {
        cache.withLock { $0 = Cached() }
    }
}
