/// A service as it was last rendered, and the group it rendered to: what a renderer may reuse when the service
/// changes again.
public struct PreviousRender: Sendable {
    /// The service as it was rendered (after the transforms).
    public var service: Service
    /// What it rendered to.
    public var group: ObjectGroup

    /// Creates a record of a render.
    public init(service: Service, group: ObjectGroup) {
        self.service = service
        self.group = group
    }
}
