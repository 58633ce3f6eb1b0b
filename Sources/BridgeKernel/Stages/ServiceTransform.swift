/// A transform stage: filters or rewrites services between the sources and rendering. Pure.
public protocol ServiceTransform: Sendable {
    /// Returns the service to publish, possibly changed, or `nil` to drop it.
    func apply(to service: Service) -> Service?
}
