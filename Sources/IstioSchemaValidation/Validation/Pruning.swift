import BridgeKernel

/// What the apiserver does to a custom resource before validating it: drop fields the schema does not know
/// (apiextensions `pruning/algorithm.go`) and drop `null` values of non-nullable fields
/// (`defaulting/prunenulls.go`).
///
/// Both passes are done in one walk; the result is only rebuilt along paths that changed.
enum Pruning {
    /// The object with unknown fields and pruned nulls removed, and the unknown field paths (sorted).
    static func prune(_ object: JSONValue, root: SchemaNode) -> (object: JSONValue, unknownFields: [String]) {
        var unknown: [String] = []
        let pruned = pruneValue(object, root, parentPath: .root, isResourceRoot: true, unknown: &unknown) ?? object
        return (pruned, unknown.sorted(by: GoString.less))
    }

    private static let metaFields: Set<String> = ["apiVersion", "kind", "metadata"]

    /// `nil` when nothing changed.
    private static func pruneValue(
        _ value: JSONValue, _ node: SchemaNode?, parentPath: ValuePath, isResourceRoot: Bool, unknown: inout [String]
    ) -> JSONValue? {
        if let node, node.preservesUnknownFields {
            return keepUnknown(value, node, parentPath: parentPath, isResourceRoot: isResourceRoot, unknown: &unknown)
        }
        switch value {
        case .object(let members):
            guard let node else {
                for key in members.keys { unknown.append(parentPath.key(key).openAPIPath) }
                if members.isEmpty { return Optional.none }
                return .object([:])
            }
            var rebuilt: [String: JSONValue]?
            for (key, member) in members {
                if isResourceRoot && metaFields.contains(key) { continue }
                let childPath = parentPath.key(key)
                if let child = node.childSchema(forMember: key) {
                    if case .null = member, !child.nullable {
                        if rebuilt == nil { rebuilt = members }
                        rebuilt![key] = nil
                    } else if let replacement = pruneValue(
                        member, child, parentPath: childPath, isResourceRoot: false, unknown: &unknown)
                    {
                        if rebuilt == nil { rebuilt = members }
                        rebuilt![key] = replacement
                    }
                } else {
                    if !metaFields.contains(key) || !parentPath.isRoot { unknown.append(childPath.openAPIPath) }
                    if rebuilt == nil { rebuilt = members }
                    rebuilt![key] = nil
                }
            }
            return rebuilt.map(JSONValue.object)
        case .array(let elements):
            return pruneElements(elements, node?.items, parentPath: parentPath, unknown: &unknown) {
                element, schema, path, unknown in
                pruneValue(element, schema, parentPath: path, isResourceRoot: false, unknown: &unknown)
            }
        default:
            return nil
        }
    }

    /// `skipPrune`: below `x-kubernetes-preserve-unknown-fields`, declared members are still pruned, others kept.
    private static func keepUnknown(
        _ value: JSONValue, _ node: SchemaNode?, parentPath: ValuePath, isResourceRoot: Bool, unknown: inout [String]
    ) -> JSONValue? {
        guard let node else { return nil }
        switch value {
        case .object(let members):
            var rebuilt: [String: JSONValue]?
            for (key, member) in members {
                if isResourceRoot && metaFields.contains(key) { continue }
                guard let child = node.childSchema(forMember: key) else { continue }
                if case .null = member, !child.nullable {
                    if rebuilt == nil { rebuilt = members }
                    rebuilt![key] = nil
                } else if let replacement = pruneValue(
                    member, child, parentPath: parentPath.key(key), isResourceRoot: false, unknown: &unknown)
                {
                    if rebuilt == nil { rebuilt = members }
                    rebuilt![key] = replacement
                }
            }
            return rebuilt.map(JSONValue.object)
        case .array(let elements):
            return pruneElements(elements, node.items, parentPath: parentPath, unknown: &unknown) {
                element, schema, path, unknown in
                keepUnknown(element, schema, parentPath: path, isResourceRoot: false, unknown: &unknown)
            }
        default:
            return nil
        }
    }

    private static func pruneElements(
        _ elements: [JSONValue], _ items: SchemaNode?, parentPath: ValuePath, unknown: inout [String],
        _ pruneElement: (JSONValue, SchemaNode?, ValuePath, inout [String]) -> JSONValue?
    ) -> JSONValue? {
        var rebuilt: [JSONValue]?
        for (index, element) in elements.enumerated() {
            if let replacement = pruneElement(element, items, parentPath.index(index), &unknown) {
                if rebuilt == nil { rebuilt = elements }
                rebuilt![index] = replacement
            }
        }
        return rebuilt.map(JSONValue.array)
    }
}
