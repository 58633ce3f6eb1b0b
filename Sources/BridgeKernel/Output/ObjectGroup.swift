/// The objects rendered for one logical service: its ServiceEntry and, in WorkloadEntry mode, one WorkloadEntry
/// per routed instance. A group is the unit the file sink writes as one file.
public struct ObjectGroup: Hashable, Sendable {
    /// A stable identifier, valid as a file name stem (the ServiceEntry's name).
    public var id: String
    /// The service it was rendered from.
    public var service: ServiceKey
    /// The objects, sorted.
    public var objects: [ManifestObject]

    /// Creates a group; the objects are sorted.
    public init(id: String, service: ServiceKey, objects: [ManifestObject]) {
        self.id = id
        self.service = service
        self.objects = objects.sorted()
    }
}
