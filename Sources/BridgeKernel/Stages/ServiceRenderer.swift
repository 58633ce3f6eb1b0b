/// Converts one registry service into the objects the mesh needs. Pure: no I/O, same input, same output.
public protocol ServiceRenderer: Sendable {
    /// Renders a service. Returns no group when nothing should be published for it.
    func render(_ service: Service) -> RenderResult
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
