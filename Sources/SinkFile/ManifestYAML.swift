import BridgeKernel
import Yams

/// Writes manifests as YAML that Kubernetes tooling reads back exactly: keys sorted, integers as integers, and
/// every string that YAML 1.1 (which `kubectl` and Argo CD use) could read as something else — `yes`, `on`,
/// `8080`, `1e3`, `~`, a date — double-quoted. The same objects always give the same bytes.
public enum ManifestYAML {
    /// One YAML document per object, separated by `---`, after an optional comment header.
    public static func render(_ objects: [ManifestObject], header: [String] = []) -> String {
        var output = header.map { "# \($0)\n" }.joined()
        for object in objects {
            output += "---\n"
            output += document(object.document)
        }
        return output
    }

    /// One YAML document (without a `---` line) for a JSON value.
    public static func document(_ value: JSONValue) -> String {
        // Serializing plain nodes cannot fail: every scalar is a valid UTF-8 string with an explicit style.
        try! Yams.serialize(node: node(value), indent: 2, width: -1, allowUnicode: true, sortKeys: false)
    }

    static func node(_ value: JSONValue) -> Node {
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

    /// Words YAML 1.1 resolves to booleans or null.
    private static let reservedWords: Set<String> = [
        "y", "yes", "n", "no", "true", "false", "on", "off", "null", "~",
    ]

    /// Whether a string must be quoted to stay a string. Conservative: only text that starts with a letter, `/`
    /// or `_` and continues with letters, digits and `_ . / - :` (no `: `) may stay plain.
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
}
