/// One Kubernetes object the bridge wants to exist, in the exact form it is written (no server-set fields).
public struct ManifestObject: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// `group/version`, e.g. `networking.istio.io/v1`.
    public var apiVersion: String
    /// The kind, e.g. `ServiceEntry`.
    public var kind: String
    /// The namespace the object lives in.
    public var namespace: String
    /// The object's name.
    public var name: String
    /// The whole object: `apiVersion`, `kind`, `metadata` and `spec`.
    public var document: JSONValue

    /// Creates an object; `document` must carry the same identity in its `apiVersion`, `kind` and `metadata`.
    public init(apiVersion: String, kind: String, namespace: String, name: String, document: JSONValue) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.namespace = namespace
        self.name = name
        self.document = document
    }

    /// `metadata.labels`.
    public var labels: [String: String] {
        document["metadata"]?["labels"]?.objectValue?.compactMapValues(\.stringValue) ?? [:]
    }

    /// Objects sort by kind order (ServiceEntry first), then namespace and name, so output order is stable.
    public static func < (lhs: ManifestObject, rhs: ManifestObject) -> Bool {
        // Field by field, as the tuple (kindRank, kind, namespace, name) would compare, without building tuples.
        let (lhsRank, rhsRank) = (lhs.kindRank, rhs.kindRank)
        if lhsRank != rhsRank { return lhsRank < rhsRank }
        if lhs.kind != rhs.kind { return lhs.kind < rhs.kind }
        if lhs.namespace != rhs.namespace { return lhs.namespace < rhs.namespace }
        return lhs.name < rhs.name
    }

    private var kindRank: Int {
        switch kind {
        case "ServiceEntry": return 0
        case "WorkloadEntry": return 1
        default: return 2
        }
    }

    /// `Kind namespace/name`, the form used in logs and errors.
    public var description: String { "\(kind) \(namespace)/\(name)" }
}
