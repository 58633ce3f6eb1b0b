import BridgeKernel
import Foundation

/// JSON encoding of API objects as the apiserver writes them.
///
/// Custom resources are unstructured maps in Go, so their keys come out sorted (``JSONValue/canonicalJSON``).
/// Typed objects (`Status`, discovery documents, Leases) are Go structs whose fields are written in declaration
/// order; the well-known leading fields are therefore written first.
enum KubeJSON {
    /// Field order of the Go structs the simulator emits (`Status`, `StatusDetails`, `StatusCause`, typed
    /// objects). Keys not listed follow in sorted order.
    private static let leadingKeys: [String] = [
        "type", "kind", "apiVersion", "metadata", "status", "message", "reason", "details", "code", "spec", "object",
    ]
    /// `StatusDetails` and `StatusCause` field order, selected by the member holding them.
    private static let nestedKeys: [String: [String]] = [
        "details": ["name", "group", "kind", "uid", "causes", "retryAfterSeconds"],
        "causes": ["reason", "message", "field"],
    ]
    private static let rank = ranks(leadingKeys)
    private static let nestedRanks = nestedKeys.mapValues(ranks)

    private static func ranks(_ keys: [String]) -> [String: Int] {
        Dictionary(uniqueKeysWithValues: keys.enumerated().map { ($1, $0) })
    }

    /// Go-struct style JSON: leading keys in struct order at every level, the rest sorted.
    static func typed(_ value: JSONValue) -> String {
        var output = ""
        write(value, parent: nil, into: &output)
        return output
    }

    /// Bytes of ``typed(_:)``.
    static func typedData(_ value: JSONValue) -> Data {
        Data(typed(value).utf8)
    }

    private static func write(_ value: JSONValue, parent: String?, into output: inout String) {
        switch value {
        case .object(let members):
            output += "{"
            let rank = parent.flatMap { nestedRanks[$0] } ?? Self.rank
            let keys = members.keys.sorted { left, right in
                switch (rank[left], rank[right]) {
                case (let l?, let r?): return l < r
                case (.some, nil): return true
                case (nil, .some): return false
                case (nil, nil): return left.utf8.lexicographicallyPrecedes(right.utf8)
                }
            }
            for (index, key) in keys.enumerated() {
                if index > 0 { output += "," }
                output += JSONValue.string(key).canonicalJSON
                output += ":"
                write(members[key]!, parent: key, into: &output)
            }
            output += "}"
        case .array(let elements):
            output += "["
            for (index, element) in elements.enumerated() {
                if index > 0 { output += "," }
                write(element, parent: parent, into: &output)
            }
            output += "]"
        default:
            output += value.canonicalJSON
        }
    }

    /// Go's `%q` for the strings the simulator quotes in messages.
    /// The JSON type as Go's `encoding/json` names it in `cannot unmarshal <type> into …` errors.
    static func goTypeWord(_ value: JSONValue) -> String {
        switch value {
        case .int, .double: return "number"
        case .bool: return "bool"
        default: return value.schemaTypeName
        }
    }

    static func quote(_ text: String) -> String {
        var output = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7f {
                    let hex = String(scalar.value, radix: 16)
                    output += "\\x" + (hex.count < 2 ? "0" : "") + hex
                } else {
                    output.unicodeScalars.append(scalar)
                }
            }
        }
        return output + "\""
    }
}
