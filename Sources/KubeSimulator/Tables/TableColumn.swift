import BridgeKernel
import Foundation

/// A column of the `meta.k8s.io/v1` Table the apiserver renders for `kubectl get`.
struct TableColumn: Sendable {
    /// Header.
    let name: String
    /// `string`, `integer`, `date`, ...
    let type: String
    /// `name` for the name column.
    let format: String
    /// Column description.
    let description: String
    /// 0 = always shown, >0 only with `-o wide`.
    let priority: Int
    /// The cell for an object at a given instant.
    let cell: @Sendable (JSONValue, Date) -> JSONValue

    /// The `columnDefinitions[]` entry.
    var definition: JSONValue {
        [
            "name": .string(name), "type": .string(type), "format": .string(format),
            "description": .string(description), "priority": .int(Int64(priority)),
        ]
    }

    static let nameDescription =
        "Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names"
    static let ageDescription =
        "CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata"

    /// The leading `Name` column.
    static let name = TableColumn(
        name: "Name", type: "string", format: "name", description: nameDescription, priority: 0
    ) { object, _ in object["metadata"]?["name"] ?? "" }

    /// A built-in `Age` column (type `string`, rendered by the server).
    static let age = TableColumn(
        name: "Age", type: "string", format: "", description: ageDescription, priority: 0
    ) { object, now in TableColumn.age(of: object, now: now) }

    /// `HumanDuration` since `metadata.creationTimestamp`, or `<unknown>`.
    static func age(of object: JSONValue, now: Date) -> JSONValue {
        guard let text = object["metadata"]?["creationTimestamp"]?.stringValue, let created = KubeTime.parse(text)
        else { return "<unknown>" }
        return .string(KubeTime.humanDuration(now.timeIntervalSince(created)))
    }

    /// A column of a CRD (`additionalPrinterColumns`), evaluated as the apiextensions table convertor does.
    static func custom(
        name: String, type: String, format: String?, description: String?, priority: Int, jsonPath: String
    ) -> TableColumn {
        let path = SimpleJSONPath(jsonPath)
        return TableColumn(
            name: name, type: type, format: format ?? "",
            description: description ?? "Custom resource definition column (in JSONPath format): \(jsonPath)",
            priority: priority
        ) { object, now in
            guard let value = path.evaluate(object) else { return .null }
            switch type {
            case "string":
                switch value {
                case .string(let text): return .string(text)
                case .array, .object: return .string(value.canonicalJSON)
                case .null: return .null
                default: return .string(value.canonicalJSON)
                }
            case "integer":
                return value.intValue.map(JSONValue.int) ?? .null
            case "number":
                if case .double = value { return value }
                return value.intValue.map { .double(Double($0)) } ?? .null
            case "boolean":
                return value.boolValue.map(JSONValue.bool) ?? .null
            case "date":
                guard let text = value.stringValue else { return .null }
                guard let date = KubeTime.parse(text) else { return "<invalid>" }
                return .string(KubeTime.humanDuration(now.timeIntervalSince(date)))
            default:
                return .null
            }
        }
    }
}

/// The simple JSONPath subset CRD printer columns use: `.a.b`, `.a[0]`, `.a['x.y']`.
struct SimpleJSONPath: Sendable {
    private enum Step: Sendable {
        case member(String)
        case index(Int)
    }

    private let steps: [Step]

    init(_ text: String) {
        var steps: [Step] = []
        var index = text.startIndex
        var current = ""
        func flush() {
            if !current.isEmpty { steps.append(.member(current)) }
            current = ""
        }
        while index < text.endIndex {
            let character = text[index]
            if character == "." {
                flush()
            } else if character == "[" {
                flush()
                let close = text[index...].firstIndex(of: "]") ?? text.endIndex
                let inner = text[text.index(after: index)..<close].trimmingCharacters(
                    in: CharacterSet(charactersIn: "'\""))
                if let number = Int(inner) { steps.append(.index(number)) } else { steps.append(.member(inner)) }
                index = close
            } else {
                current.append(character)
            }
            if index < text.endIndex { index = text.index(after: index) }
        }
        flush()
        self.steps = steps
    }

    func evaluate(_ value: JSONValue) -> JSONValue? {
        var current = value
        for step in steps {
            switch step {
            case .member(let name):
                guard let next = current[name] else { return nil }
                current = next
            case .index(let position):
                guard let elements = current.arrayValue, elements.indices.contains(position) else { return nil }
                current = elements[position]
            }
        }
        return current
    }
}
