import BridgeKernel

/// The set of fields an object sets (or a manager owns), at the granularity server-side apply tracks:
/// scalars, atomic lists and maps, empty objects, and items of map- and set-typed lists.
struct FieldSet: Hashable, Sendable {
    /// The member paths.
    var paths: Set<FieldPath>

    init(_ paths: Set<FieldPath> = []) {
        self.paths = paths
    }

    var isEmpty: Bool { paths.isEmpty }

    // MARK: From objects

    /// The fields set in `object`, leaving out what the server owns (`apiVersion`, `kind`, identity and system
    /// metadata) and `status` when `ignoringStatus` (main resource of a type with a status subresource).
    static func of(_ object: JSONValue, schema: MergeSchema, ignoringStatus: Bool) -> FieldSet {
        var set = Set<FieldPath>()
        collect(stripped(object, ignoringStatus: ignoringStatus), schema, [], into: &set)
        return FieldSet(set)
    }

    /// The object without the members server-side apply never tracks.
    static func stripped(_ object: JSONValue, ignoringStatus: Bool) -> JSONValue {
        guard case .object(var members) = object else { return object }
        members["apiVersion"] = nil
        members["kind"] = nil
        if ignoringStatus { members["status"] = nil }
        if case .object(var metadata)? = members["metadata"] {
            for field in [
                "name", "namespace", "uid", "resourceVersion", "generation", "creationTimestamp", "managedFields",
                "selfLink", "deletionTimestamp", "deletionGracePeriodSeconds",
            ] {
                metadata[field] = nil
            }
            if metadata.isEmpty {
                members["metadata"] = Optional.none
            } else {
                members["metadata"] = .object(metadata)
            }
        }
        return .object(members)
    }

    private static func collect(
        _ value: JSONValue, _ schema: MergeSchema, _ path: FieldPath, into set: inout Set<FieldPath>
    ) {
        switch value {
        case .object(let members):
            if (schema.isAtomicMap || members.isEmpty) && !path.isEmpty {
                set.insert(path)
                return
            }
            for (name, member) in members {
                collect(member, schema.child(name), path + [.field(name)], into: &set)
            }
        case .array(let items):
            switch schema.listType {
            case .atomic:
                set.insert(path)
            case _ where items.isEmpty:
                set.insert(path)
            case .map(let keys):
                let itemSchema = schema.itemSchema
                for item in items {
                    let itemPath = path + [.key(keyJSON(item, keys))]
                    set.insert(itemPath)
                    for (name, member) in item.objectValue ?? [:] {
                        collect(member, itemSchema.child(name), itemPath + [.field(name)], into: &set)
                    }
                }
            case .set:
                for item in items { set.insert(path + [.value(item.canonicalJSON)]) }
            }
        default:
            if !path.isEmpty { set.insert(path) }
        }
    }

    /// The key object of a map-list item (`{"name":"http"}`) as canonical JSON.
    static func keyJSON(_ item: JSONValue, _ keys: [String]) -> String {
        var key: [String: JSONValue] = [:]
        for name in keys { key[name] = item[name] ?? .null }
        return JSONValue.object(key).canonicalJSON
    }

    // MARK: FieldsV1

    /// The `fieldsV1` tree (`{"f:spec":{"f:hosts":{}}}`).
    var fieldsV1: JSONValue {
        final class Node {
            var children: [String: Node] = [:]
            var isMember = false
        }
        let root = Node()
        for path in paths {
            var node = root
            for element in path {
                let name = element.fieldsV1Name
                if let child = node.children[name] {
                    node = child
                } else {
                    let child = Node()
                    node.children[name] = child
                    node = child
                }
            }
            node.isMember = true
        }
        func render(_ node: Node) -> JSONValue {
            var members: [String: JSONValue] = [:]
            for (name, child) in node.children { members[name] = render(child) }
            if node.isMember && !node.children.isEmpty { members["."] = [:] }
            return .object(members)
        }
        return render(root)
    }

    /// Reads a `fieldsV1` tree.
    init(fieldsV1: JSONValue) {
        var set = Set<FieldPath>()
        func walk(_ value: JSONValue, _ path: FieldPath) {
            guard let members = value.objectValue else { return }
            if members.isEmpty, !path.isEmpty {
                set.insert(path)
                return
            }
            for (name, child) in members {
                if name == "." {
                    if !path.isEmpty { set.insert(path) }
                } else if let element = PathElement(fieldsV1Name: name) {
                    walk(child, path + [element])
                }
            }
        }
        walk(fieldsV1, [])
        self.init(set)
    }
}

/// Navigation and editing of objects by ``FieldPath``.
enum FieldAccess {
    /// The value at `path`, or `nil` when absent.
    static func value(at path: FieldPath, in object: JSONValue) -> JSONValue? {
        var current = object
        for element in path {
            guard let next = step(element, current) else { return nil }
            current = next
        }
        return current
    }

    private static func step(_ element: PathElement, _ value: JSONValue) -> JSONValue? {
        switch element {
        case .field(let name): return value[name]
        case .index(let position):
            guard let items = value.arrayValue, items.indices.contains(position) else { return nil }
            return items[position]
        case .key(let json):
            guard let items = value.arrayValue, case .object(let key)? = try? JSONValue.parse(json) else { return nil }
            return items.first { item in key.allSatisfy { item[$0.key] ?? .null == $0.value } }
        case .value(let json):
            return value.arrayValue?.first { $0.canonicalJSON == json }
        }
    }

    /// Whether the value at `path` differs between two objects. Items of keyed lists only differ by presence
    /// (their fields are tracked separately).
    static func differs(at path: FieldPath, _ left: JSONValue?, _ right: JSONValue?) -> Bool {
        let a = left.flatMap { value(at: path, in: $0) }
        let b = right.flatMap { value(at: path, in: $0) }
        switch path.last {
        case .key?, .value?: return (a == nil) != (b == nil)
        default: return a != b
        }
    }

    /// The object with the value at `path` removed (parents are kept).
    static func removing(_ path: FieldPath, from object: JSONValue) -> JSONValue {
        guard let first = path.first else { return object }
        let rest = Array(path.dropFirst())
        switch (first, object) {
        case (.field(let name), .object(var members)):
            guard let child = members[name] else { return object }
            if rest.isEmpty {
                members[name] = Optional.none
            } else {
                members[name] = removing(rest, from: child)
            }
            return .object(members)
        case (_, .array(var items)):
            guard let position = items.indices.first(where: { matches(first, items[$0], $0) }) else { return object }
            if rest.isEmpty {
                items.remove(at: position)
            } else {
                items[position] = removing(rest, from: items[position])
            }
            return .array(items)
        default:
            return object
        }
    }

    private static func matches(_ element: PathElement, _ item: JSONValue, _ position: Int) -> Bool {
        switch element {
        case .index(let index): return index == position
        case .key, .value: return step(element, .array([item])) != nil
        case .field: return false
        }
    }
}
