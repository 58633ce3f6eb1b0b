import BridgeKernel

/// The `x-kubernetes-list-type: set|map` uniqueness checks (apiextensions `schema/listtype/validation.go`).
///
/// Only the second occurrence of a repeated element (or map key) is reported, as the apiserver does.
enum ListTypeValidator {
    static func validate(_ value: JSONValue, _ node: SchemaNode, _ path: ValuePath, into errors: inout [FieldError]) {
        guard node.hasListTypeInSubtree else { return }
        switch value {
        case .object(let members):
            if let additional = node.additionalProperties, additional.hasListTypeInSubtree {
                for key in members.keys.sorted(by: GoString.less) {
                    validate(members[key]!, additional, path.key(key), into: &errors)
                }
            }
            for (name, child) in node.propertiesWithListTypes {
                if let member = members[name] {
                    validate(member, child, path.property(name), into: &errors)
                }
            }
        case .array(let elements):
            switch node.listType {
            case .set:
                for index in secondOccurrences(elements) {
                    errors.append(.duplicate(path.index(index).fieldPath, elements[index]))
                }
            case .map:
                errors.append(contentsOf: validateMap(elements, node.listMapKeys, path))
            default:
                break
            }
            if let items = node.items, items.hasListTypeInSubtree {
                for (index, element) in elements.enumerated() {
                    validate(element, items, path.index(index), into: &errors)
                }
            }
        default:
            break
        }
    }

    /// Equality as Go's `map[interface{}]` keys (scalars: same dynamic type and value) and, for lists and
    /// objects, equal JSON encodings.
    private enum ElementKey: Hashable {
        case null
        case bool(Bool)
        case int(Int64)
        case double(Double)
        case string([UInt8])
        case compound(String)
        case unspecified

        init(_ value: JSONValue) {
            switch value {
            case .null: self = .null
            case .bool(let flag): self = .bool(flag)
            case .int(let number): self = .int(number)
            case .double(let number): self = .double(number)
            case .string(let text): self = .string(Array(text.utf8))
            case .array, .object: self = .compound(value.canonicalJSON)
            }
        }
    }

    private static func secondOccurrences(_ elements: [JSONValue]) -> [Int] {
        secondOccurrences(of: elements.map(ElementKey.init))
    }

    private static func secondOccurrences(of keys: [ElementKey]) -> [Int] {
        guard keys.count > 1 else { return [] }
        var seen: [ElementKey: Int] = [:]
        var indices: [Int] = []
        for (index, key) in keys.enumerated() {
            let times = seen[key, default: 0]
            if times == 1 { indices.append(index) }
            seen[key] = times + 1
        }
        return indices
    }

    private static func validateMap(_ elements: [JSONValue], _ keyFields: [String], _ path: ValuePath) -> [FieldError] {
        for (index, element) in elements.enumerated() {
            switch element {
            case .object, .null: continue
            default:
                return [
                    .invalid(path.index(index).fieldPath, element, "must be an object for an array of list-type map")
                ]
            }
        }
        guard elements.count > 1 else { return [] }
        if keyFields.count == 1 {
            let keyField = keyFields[0]
            let keys: [ElementKey] = elements.map { element in
                guard let key = element[keyField] else { return .unspecified }
                return ElementKey(key)
            }
            return secondOccurrences(of: keys).map { index in
                guard let key = elements[index][keyField] else {
                    return .duplicate(path.index(index).fieldPath, .object([:]))
                }
                return .duplicate(path.index(index).fieldPath, .object([keyField: key]))
            }
        }
        let keyObjects: [JSONValue] = elements.map { element in
            var key: [String: JSONValue] = [:]
            for field in keyFields {
                if let value = element[field] { key[field] = value }
            }
            return .object(key)
        }
        return secondOccurrences(keyObjects).map { index in .duplicate(path.index(index).fieldPath, keyObjects[index]) }
    }
}
