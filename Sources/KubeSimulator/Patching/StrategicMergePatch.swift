import BridgeKernel

/// Strategic merge patch (`application/strategic-merge-patch+json`, built-in types only), as kubectl's
/// client-side apply sends it for Deployments, ConfigMaps and the like.
///
/// The patch strategy of a list comes from the type's ``MergeSchema``: a list keyed by fields merges its items
/// by the first key (the Go `patchMergeKey`: containers by `name`, ports by `containerPort`), a set merges
/// scalar values, anything else is replaced. Objects merge recursively and `null` deletes. Directives:
/// `$patch: replace|delete|merge`, `$setElementOrder/<list>`, `$deleteFromPrimitiveList/<list>` and
/// `$retainKeys`. Simplification: items the server has but the `$setElementOrder` list does not name keep their
/// relative order after the named ones (apimachinery interleaves them by their old positions).
enum StrategicMergePatch {
    /// A malformed directive (400 `BadRequest`).
    struct Failure: Error, Sendable {
        /// What was wrong.
        let message: String
    }

    private static let setElementOrder = "$setElementOrder/"
    private static let deleteFromPrimitiveList = "$deleteFromPrimitiveList/"

    /// Applies `patch` (an object) to `original`.
    static func apply(_ patch: JSONValue, to original: JSONValue, schema: MergeSchema) throws(Failure) -> JSONValue {
        guard let patchMembers = patch.objectValue else { throw Failure(message: "patch must be a JSON object") }
        return .object(try merge(original.objectValue ?? [:], patchMembers, schema: schema))
    }

    private static func merge(
        _ original: [String: JSONValue], _ patch: [String: JSONValue], schema: MergeSchema
    ) throws(Failure) -> [String: JSONValue] {
        switch patch["$patch"]?.stringValue {
        case "replace":
            return stripped(patch)
        case "delete":
            return [:]
        case nil, "merge":
            break
        case let other?:
            throw Failure(message: "unknown patch type: \(other) in map")
        }
        var result = original
        for (key, value) in patch where !key.hasPrefix("$") {
            let child = schema.child(key)
            switch value {
            case .null:
                result[key] = nil
            case .object(let members):
                if members["$patch"]?.stringValue == "delete" {
                    result[key] = nil
                } else if child.isAtomicMap {
                    result[key] = .object(stripped(members))
                } else {
                    result[key] = .object(try merge(original[key]?.objectValue ?? [:], members, schema: child))
                }
            case .array(let items):
                result[key] = .array(try mergeList(original[key]?.arrayValue ?? [], items, schema: child))
            default:
                result[key] = value
            }
        }
        for (key, value) in patch where key.hasPrefix(deleteFromPrimitiveList) {
            let field = String(key.dropFirst(deleteFromPrimitiveList.count))
            let removed = value.arrayValue ?? []
            if let items = result[field]?.arrayValue {
                result[field] = .array(items.filter { !removed.contains($0) })
            }
        }
        for (key, value) in patch where key.hasPrefix(setElementOrder) {
            let field = String(key.dropFirst(setElementOrder.count))
            guard let items = result[field]?.arrayValue, let order = value.arrayValue else { continue }
            result[field] = .array(reorder(items, by: order, schema: schema.child(field)))
        }
        if let retained = patch["$retainKeys"] {
            guard let keys = retained.arrayValue?.compactMap(\.stringValue) else {
                throw Failure(message: "$retainKeys must be a list of strings")
            }
            let kept = Set(keys)
            result = result.filter { kept.contains($0.key) || patch[$0.key] != nil }
        }
        return result
    }

    private static func mergeList(
        _ original: [JSONValue], _ patch: [JSONValue], schema: MergeSchema
    ) throws(Failure) -> [JSONValue] {
        switch schema.listType {
        case .atomic:
            return patch
        case .set:
            var result = original
            for item in patch where !result.contains(item) { result.append(item) }
            return result
        case .map(let keys):
            guard let key = keys.first else { return patch }
            if patch.contains(where: { $0["$patch"]?.stringValue == "replace" }) {
                return patch.filter { $0["$patch"] == nil }.map(strippedValue)
            }
            var result = original
            for item in patch {
                guard let members = item.objectValue else {
                    throw Failure(message: "the list items of a merged list must be objects with \(key)")
                }
                let identity = members[key] ?? .null
                let index = result.firstIndex { ($0[key] ?? .null) == identity }
                if members["$patch"]?.stringValue == "delete" {
                    result.removeAll { ($0[key] ?? .null) == identity }
                } else if let index {
                    result[index] = .object(
                        try merge(result[index].objectValue ?? [:], members, schema: schema.itemSchema))
                } else {
                    result.append(.object(try merge([:], members, schema: schema.itemSchema)))
                }
            }
            return result
        }
    }

    /// Puts the items named by `order` (merge-key objects, or scalars for sets) first, in that order.
    private static func reorder(_ items: [JSONValue], by order: [JSONValue], schema: MergeSchema) -> [JSONValue] {
        func identity(_ item: JSONValue) -> JSONValue {
            if case .map(let keys) = schema.listType, let key = keys.first { return item[key] ?? .null }
            return item
        }
        let wanted = order.map(identity)
        let named = wanted.compactMap { want in items.first { identity($0) == want } }
        let rest = items.filter { item in !wanted.contains(identity(item)) }
        return named + rest
    }

    /// An object without directive keys, recursively.
    private static func stripped(_ members: [String: JSONValue]) -> [String: JSONValue] {
        var result: [String: JSONValue] = [:]
        for (key, value) in members where !key.hasPrefix("$") { result[key] = strippedValue(value) }
        return result
    }

    private static func strippedValue(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(let members): return .object(stripped(members))
        case .array(let items): return .array(items.map(strippedValue))
        default: return value
        }
    }
}
