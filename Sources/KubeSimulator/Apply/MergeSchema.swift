import BridgeKernel

/// What server-side apply needs to know about a schema: which lists are atomic, which are maps keyed by some
/// fields, which are sets, and which maps are atomic (`x-kubernetes-list-type`, `x-kubernetes-list-map-keys`,
/// `x-kubernetes-map-type`). Anything not described is treated as Kubernetes does for untyped data:
/// objects merge field by field, lists are atomic.
final class MergeSchema: Sendable {
    /// How a list merges.
    enum ListType: Sendable, Hashable {
        /// Replaced as a whole.
        case atomic
        /// Items identified by the values of the key fields.
        case map(keys: [String])
        /// Items identified by their scalar value.
        case set
    }

    /// Named children of an object.
    let properties: [String: MergeSchema]
    /// The schema of every map value (`additionalProperties`).
    let additionalProperties: MergeSchema?
    /// The schema of list items.
    let items: MergeSchema?
    /// The list type, for arrays.
    let listType: ListType
    /// Whether an object is replaced as a whole.
    let isAtomicMap: Bool

    init(
        properties: [String: MergeSchema] = [:], additionalProperties: MergeSchema? = nil, items: MergeSchema? = nil,
        listType: ListType = .atomic, isAtomicMap: Bool = false
    ) {
        self.properties = properties
        self.additionalProperties = additionalProperties
        self.items = items
        self.listType = listType
        self.isAtomicMap = isAtomicMap
    }

    /// A schema that knows nothing: granular objects, atomic lists.
    static let untyped = MergeSchema()

    /// Reads the merge-relevant parts of an OpenAPI v3 schema (a CRD's `openAPIV3Schema`).
    convenience init(openAPI schema: JSONValue) {
        var properties: [String: MergeSchema] = [:]
        for (name, child) in schema["properties"]?.objectValue ?? [:] {
            properties[name] = MergeSchema(openAPI: child)
        }
        let additional = schema["additionalProperties"].flatMap {
            $0.objectValue != nil ? MergeSchema(openAPI: $0) : nil
        }
        let items = schema["items"].map { MergeSchema(openAPI: $0) }
        var listType = ListType.atomic
        switch schema["x-kubernetes-list-type"]?.stringValue {
        case "map":
            listType = .map(keys: schema["x-kubernetes-list-map-keys"]?.arrayValue?.compactMap(\.stringValue) ?? [])
        case "set":
            listType = .set
        default:
            listType = .atomic
        }
        self.init(
            properties: properties, additionalProperties: additional, items: items, listType: listType,
            isAtomicMap: schema["x-kubernetes-map-type"]?.stringValue == "atomic")
    }

    /// The schema of member `name` of an object.
    func child(_ name: String) -> MergeSchema {
        properties[name] ?? additionalProperties ?? .untyped
    }

    /// The item schema of a list.
    var itemSchema: MergeSchema { items ?? .untyped }

    /// `metadata` as ObjectMeta declares it: labels/annotations granular maps, finalizers a set,
    /// ownerReferences a map keyed by uid.
    static let objectMeta = MergeSchema(properties: [
        "labels": MergeSchema(additionalProperties: .untyped),
        "annotations": MergeSchema(additionalProperties: .untyped),
        "finalizers": MergeSchema(items: .untyped, listType: .set),
        "ownerReferences": MergeSchema(items: .untyped, listType: .map(keys: ["uid"])),
    ])

    /// A root object schema with `metadata` typed as ObjectMeta.
    static func root(_ schema: MergeSchema) -> MergeSchema {
        var properties = schema.properties
        properties["metadata"] = objectMeta
        return MergeSchema(
            properties: properties, additionalProperties: schema.additionalProperties, items: schema.items,
            listType: schema.listType, isAtomicMap: false)
    }
}
