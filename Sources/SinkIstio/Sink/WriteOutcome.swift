import KubernetesAPI

/// The result of carrying out one planned change.
enum WriteOutcome: Sendable {
    /// The object was applied; the server's copy.
    case applied(LiveObject?)
    /// The object was deleted (or was already gone).
    case deleted
    /// The API refused it.
    case failed(KubernetesAPIError)
}
