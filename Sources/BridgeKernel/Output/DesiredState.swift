/// Everything the bridge wants the mesh to hold, handed to every sink with each push.
public struct DesiredState: Sendable {
    /// Every object group, by group id.
    public var groups: [String: ObjectGroup]
    /// Group ids added or changed since the push with the previous revision. A sink that saw that push may look
    /// only at these (and ``removed``); one that missed it must compare everything.
    public var changed: Set<String>
    /// Group ids that disappeared since the push with the previous revision.
    public var removed: Set<String>
    /// Whether sinks may delete objects that are no longer desired: true only when every source has completed a
    /// full listing and is healthy, so an outage or a cold start never deletes what is in the mesh.
    public var pruneAllowed: Bool
    /// Counts pushes, starting at 1.
    public var revision: Int

    /// Creates a desired state.
    public init(
        groups: [String: ObjectGroup],
        changed: Set<String> = [],
        removed: Set<String> = [],
        pruneAllowed: Bool,
        revision: Int = 1
    ) {
        self.groups = groups
        self.changed = changed
        self.removed = removed
        self.pruneAllowed = pruneAllowed
        self.revision = revision
    }

    /// All objects, sorted by group id and then object order.
    public var allObjects: [ManifestObject] {
        groups.keys.sorted().flatMap { groups[$0]!.objects }
    }

    /// The number of objects.
    public var objectCount: Int { groups.values.reduce(0) { $0 + $1.objects.count } }
}
