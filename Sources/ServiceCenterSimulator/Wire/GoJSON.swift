/// A JSON document whose object members keep their order, serialized the way Go's `encoding/json` does.
///
/// Service Center writes every payload with `encoding/json`: struct fields come out in declaration order, map keys
/// sorted, `<`, `>` and `&` escaped as `\u003c`, `\u003e`, `\u0026`. Clients that compare bytes (or watch frames
/// that promise the key order `action`, `key`, `instance`) see exactly that, so the simulator reproduces it instead
/// of relying on `JSONEncoder`.
enum GoJSON: Sendable, Equatable {
    case string(String)
    case int(Int64)
    case bool(Bool)
    case array([GoJSON])
    case object([(String, GoJSON)])

    static func == (lhs: GoJSON, rhs: GoJSON) -> Bool {
        lhs.serialized == rhs.serialized
    }

    /// A string map, keys sorted like Go sorts map keys (by bytes).
    static func stringMap(_ map: [String: String]) -> GoJSON {
        .object(
            map.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }).map { ($0, .string(map[$0]!)) }
        )
    }

    /// Compact serialization, byte-compatible with `json.Marshal`.
    var serialized: String {
        var output = ""
        output.reserveCapacity(256)
        write(into: &output)
        return output
    }

    private func write(into output: inout String) {
        switch self {
        case .string(let value): Self.writeString(value, into: &output)
        case .int(let value): output += String(value)
        case .bool(let value): output += value ? "true" : "false"
        case .array(let elements):
            output += "["
            for (index, element) in elements.enumerated() {
                if index > 0 { output += "," }
                element.write(into: &output)
            }
            output += "]"
        case .object(let members):
            output += "{"
            for (index, member) in members.enumerated() {
                if index > 0 { output += "," }
                Self.writeString(member.0, into: &output)
                output += ":"
                member.1.write(into: &output)
            }
            output += "}"
        }
    }

    /// Go's string encoder: HTML-safe, with `\u2028`/`\u2029` escaped and short escapes for `\n`, `\r`, `\t`,
    /// `\b`, `\f`.
    private static func writeString(_ value: String, into output: inout String) {
        output += "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            case "\u{08}": output += "\\b"
            case "\u{0C}": output += "\\f"
            case "<", ">", "&", "\u{2028}", "\u{2029}":
                output += unicodeEscape(scalar.value)
            default:
                if scalar.value < 0x20 {
                    output += unicodeEscape(scalar.value)
                } else {
                    output.unicodeScalars.append(scalar)
                }
            }
        }
        output += "\""
    }

    private static func unicodeEscape(_ value: UInt32) -> String {
        let hex = String(value, radix: 16)
        return "\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }
}

/// Builds a `GoJSON` object field by field, applying Go's `omitempty` rules where the struct tag has them.
struct GoJSONObjectBuilder {
    private(set) var members: [(String, GoJSON)] = []

    /// A field without `omitempty`.
    mutating func always(_ key: String, _ value: GoJSON) {
        members.append((key, value))
    }

    /// A `string` field with `omitempty`.
    mutating func omitEmpty(_ key: String, _ value: String) {
        if !value.isEmpty { members.append((key, .string(value))) }
    }

    /// An integer field with `omitempty` (zero is omitted).
    mutating func omitEmpty(_ key: String, _ value: Int64) {
        if value != 0 { members.append((key, .int(value))) }
    }

    /// A `bool` field with `omitempty` (false is omitted).
    mutating func omitEmpty(_ key: String, _ value: Bool) {
        if value { members.append((key, .bool(true))) }
    }

    /// A `[]string` field with `omitempty`.
    mutating func omitEmpty(_ key: String, _ value: [String]) {
        if !value.isEmpty { members.append((key, .array(value.map(GoJSON.string)))) }
    }

    /// A `map[string]string` field with `omitempty`.
    mutating func omitEmpty(_ key: String, _ value: [String: String]) {
        if !value.isEmpty { members.append((key, .stringMap(value))) }
    }

    /// A slice of structs with `omitempty`.
    mutating func omitEmpty(_ key: String, _ value: [GoJSON]) {
        if !value.isEmpty { members.append((key, .array(value))) }
    }

    /// A pointer field with `omitempty` (nil is omitted; an empty struct is still written).
    mutating func omitNil(_ key: String, _ value: GoJSON?) {
        if let value { members.append((key, value)) }
    }

    var object: GoJSON { .object(members) }
}

/// A value that Service Center writes to the wire with `encoding/json`.
protocol GoJSONEncodable {
    /// The document in Go field order with Go `omitempty` applied.
    var goJSON: GoJSON { get }
}

extension GoJSONEncodable {
    /// The compact JSON text.
    var jsonText: String { goJSON.serialized }
}
