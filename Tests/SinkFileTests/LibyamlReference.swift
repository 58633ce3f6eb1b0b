import BridgeKernel
import Foundation
import Yams

/// The file sink's YAML as libyaml writes it through Yams — the implementation `ManifestYAML` used before it got
/// its own writer — and the way back from YAML to `JSONValue`. The oracle for the writer's equivalence tests.
enum LibyamlReference {
    /// One document, exactly as the previous implementation produced it.
    static func document(_ value: JSONValue) throws -> String {
        try Yams.serialize(node: node(value), indent: 2, width: -1, allowUnicode: true, sortKeys: false)
    }

    private static func node(_ value: JSONValue) -> Node {
        switch value {
        case .null: return Node("null", Tag(.null), .plain)
        case .bool(let flag): return Node(flag ? "true" : "false", Tag(.bool), .plain)
        case .int(let number): return Node(String(number), Tag(.int), .plain)
        case .double(let number): return Node(number.description, Tag(.float), .plain)
        case .string(let text): return Node(text, Tag(.str), needsQuotes(text) ? .doubleQuoted : .plain)
        case .array(let elements): return Node(elements.map(node), Tag(.seq), .block)
        case .object(let members):
            let pairs = members.keys.sorted().map { key in
                (Node(key, Tag(.str), needsQuotes(key) ? .doubleQuoted : .plain), node(members[key]!))
            }
            return Node(pairs, Tag(.map), .block)
        }
    }

    private static let reservedWords: Set<String> = ["y", "yes", "n", "no", "true", "false", "on", "off", "null", "~"]

    /// The previous quoting rule, verbatim.
    static func needsQuotes(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first else { return true }
        if reservedWords.contains(text.lowercased()) { return true }
        guard first.properties.isAlphabetic && first.isASCII || first == "/" || first == "_" else { return true }
        if text.hasSuffix(":") || text.contains(": ") || text.contains(" #") { return true }
        return !text.unicodeScalars.allSatisfy { scalar in
            scalar.isASCII
                && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)
                    || "_./-:".unicodeScalars.contains(scalar))
        }
    }

    /// Parses one YAML document with libyaml and reads it as JSON, resolving plain scalars by YAML 1.1 rules.
    static func parse(_ yaml: String) throws -> JSONValue? {
        try Yams.compose(yaml: yaml).map(json)
    }

    private static func json(_ node: Node) -> JSONValue {
        switch node {
        case .scalar(let scalar):
            switch Tag.Name(rawValue: node.tag.rawValue) {
            case .null: return .null
            case .bool: return node.bool.map(JSONValue.bool) ?? .string(scalar.string)
            case .int: return node.int.map { .int(Int64($0)) } ?? .string(scalar.string)
            case .float: return node.float.map(JSONValue.double) ?? .string(scalar.string)
            default: return .string(scalar.string)
            }
        case .sequence(let sequence): return .array(sequence.map(json))
        case .mapping(let mapping):
            var members: [String: JSONValue] = [:]
            for (key, value) in mapping { members[key.string ?? "?"] = json(value) }
            return .object(members)
        case .alias: return .string("<alias>")
        }
    }
}
