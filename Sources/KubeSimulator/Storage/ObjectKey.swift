/// Where an object lives in the simulator's store: one key space for all versions of a type.
public struct ObjectKey: Hashable, Sendable, CustomStringConvertible {
    /// API group (`networking.istio.io`, `""` for the core group).
    public var group: String
    /// Plural resource name (`serviceentries`).
    public var resource: String
    /// Namespace, `""` for cluster-scoped objects.
    public var namespace: String
    /// `metadata.name`.
    public var name: String

    /// Creates a key.
    public init(group: String, resource: String, namespace: String, name: String) {
        self.group = group
        self.resource = resource
        self.namespace = namespace
        self.name = name
    }

    public var description: String {
        let qualified = group.isEmpty ? resource : resource + "." + group
        return namespace.isEmpty ? "\(qualified)/\(name)" : "\(qualified)/\(namespace)/\(name)"
    }
}
