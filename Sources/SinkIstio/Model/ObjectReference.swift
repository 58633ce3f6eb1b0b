/// Identifies one object in the cluster: kind, namespace and name.
public struct ObjectReference: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The kind (`ServiceEntry`).
    public var kind: String
    /// The namespace.
    public var namespace: String
    /// The name.
    public var name: String

    /// Creates a reference.
    public init(kind: String, namespace: String, name: String) {
        self.kind = kind
        self.namespace = namespace
        self.name = name
    }

    public static func < (lhs: ObjectReference, rhs: ObjectReference) -> Bool {
        (lhs.kind, lhs.namespace, lhs.name) < (rhs.kind, rhs.namespace, rhs.name)
    }

    /// `Kind namespace/name`.
    public var description: String { "\(kind) \(namespace)/\(name)" }
}
