/// What a service last rendered to, and the instances it was rendered from: what a renderer may reuse when the
/// service changes again. (The service's key is the group's; only the instances are kept besides, so remembering
/// every service's last render costs little memory.)
public struct PreviousRender: Sendable {
    /// The instances the group was rendered from (after the transforms).
    public var instances: [Instance]
    /// What the service rendered to.
    public var group: ObjectGroup

    /// Creates a record of a render.
    public init(instances: [Instance], group: ObjectGroup) {
        self.instances = instances
        self.group = group
    }
}
