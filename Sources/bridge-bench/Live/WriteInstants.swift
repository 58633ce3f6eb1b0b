import KubernetesAPI
import Synchronization

/// When the API server last answered a successful write (server-side apply) of each object, by object name, as
/// heard by the Istio sink's request observer: the instant a change counts as written, rather than the end of the
/// push that wrote it (a push of a few hundred objects takes a good part of a second).
final class WriteInstants: Sendable {
    private let answers = Mutex<[String: ContinuousClock.Instant]>([:])

    /// The sink's observer: records successful `PATCH`es by the last path segment (the object name).
    @Sendable func record(_ request: KubernetesClient.RequestRecord) {
        guard request.method == "PATCH", let status = request.status, (200..<300).contains(status),
            let slash = request.path.lastIndex(of: "/")
        else { return }
        let now = ContinuousClock.now
        let name = String(request.path[request.path.index(after: slash)...])
        answers.withLock { $0[name] = now }
    }

    /// When the last successful write of `name` was answered.
    func latest(_ name: String) -> ContinuousClock.Instant? {
        answers.withLock { $0[name] }
    }
}
