/// Converts one registry service into the objects the mesh needs. Pure: no I/O, same input, same output.
public protocol ServiceRenderer: Sendable {
    /// Renders a service. Returns no group when nothing should be published for it.
    func render(_ service: Service) -> RenderResult

    /// Renders a service that was rendered before. The result must equal `render(service)`; a renderer may take
    /// objects that the change cannot have affected from `previous` instead of building them again. That is
    /// cheaper, and a reused object shares its storage with the one already published, so comparing the two
    /// downstream costs nothing (one changed instance otherwise re-renders and re-compares its whole service).
    func render(_ service: Service, after previous: PreviousRender) -> RenderResult
}

extension ServiceRenderer {
    /// Renders from scratch.
    public func render(_ service: Service, after previous: PreviousRender) -> RenderResult {
        render(service)
    }
}

/// What rendering one service produced.
public struct RenderResult: Hashable, Sendable {
    /// The objects, or `nil` when the service publishes nothing.
    public var group: ObjectGroup?
    /// Problems found in the service's data.
    public var diagnostics: [Diagnostic]

    /// Creates a result.
    public init(group: ObjectGroup?, diagnostics: [Diagnostic] = []) {
        self.group = group
        self.diagnostics = diagnostics
    }
}
