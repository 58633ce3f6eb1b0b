import BridgeKernel

/// A JSON body that Go's `json.Unmarshal` would refuse, with Go's own wording (Service Center puts that text into
/// the `detail` of its 400001 answer).
struct GoJSONDecodeError: Error, Sendable, CustomStringConvertible {
    var description: String
}

/// Reads a JSON object the way Go's `encoding/json` fills a struct: keys match exactly or, failing that,
/// case-insensitively; unknown keys are ignored; `null` leaves the zero value; a type mismatch is an error that
/// names the innermost struct and the JSON path, e.g.
/// `json: cannot unmarshal number into Go struct field MicroService.service.appId of type string`.
struct GoJSONObjectReader {
    private let members: [String: JSONValue]
    private let structName: String
    private let path: [String]

    /// Parses `bytes` as the top-level struct `structName` (e.g. `CreateServiceRequest`).
    static func parse(_ bytes: some Collection<UInt8>, structName: String) throws -> GoJSONObjectReader {
        let trimmed = bytes.drop(while: { $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 })
        guard !trimmed.isEmpty else {
            throw GoJSONDecodeError(description: "unexpected end of JSON input")
        }
        let value: JSONValue
        do {
            value = try JSONValue.parse(Array(bytes))
        } catch {
            let first = trimmed.first.map { Character(Unicode.Scalar($0)) } ?? " "
            if "{[\"-0123456789tfn".contains(first) {
                throw GoJSONDecodeError(description: "unexpected end of JSON input")
            }
            throw GoJSONDecodeError(description: "invalid character '\(first)' looking for beginning of value")
        }
        return try GoJSONObjectReader(topLevel: value, structName: structName)
    }

    /// Wraps an already parsed document (seed files, admin bodies).
    init(topLevel value: JSONValue, structName: String) throws {
        switch value {
        case .object(let members):
            self.init(members: members, structName: structName, path: [])
        case .null:
            self.init(members: [:], structName: structName, path: [])
        default:
            throw GoJSONDecodeError(
                description: "json: cannot unmarshal \(Self.kind(of: value)) into Go value of type "
                    + "discovery.\(structName)"
            )
        }
    }

    private init(members: [String: JSONValue], structName: String, path: [String]) {
        self.members = members
        self.structName = structName
        self.path = path
    }

    private func lookup(_ key: String) -> JSONValue? {
        if let exact = members[key] { return exact }
        let folded = key.lowercased()
        return members.first(where: { $0.key.lowercased() == folded })?.value
    }

    private func mismatch(_ key: String, _ value: JSONValue, goType: String) -> GoJSONDecodeError {
        var kind = Self.kind(of: value)
        if case .double(let number) = value, goType.hasPrefix("int") { kind = "number \(number)" }
        let field = (path + [key]).joined(separator: ".")
        return GoJSONDecodeError(
            description: "json: cannot unmarshal \(kind) into Go struct field \(structName).\(field) of type \(goType)"
        )
    }

    private static func kind(of value: JSONValue) -> String {
        switch value {
        case .null: return "null"
        case .bool: return "bool"
        case .int, .double: return "number"
        case .string: return "string"
        case .array: return "array"
        case .object: return "object"
        }
    }

    /// Whether the key is present (with any value, `null` included).
    func contains(_ key: String) -> Bool { lookup(key) != nil }

    func string(_ key: String) throws -> String {
        guard let value = lookup(key) else { return "" }
        switch value {
        case .null: return ""
        case .string(let text): return text
        default: throw mismatch(key, value, goType: "string")
        }
    }

    func bool(_ key: String) throws -> Bool {
        guard let value = lookup(key) else { return false }
        switch value {
        case .null: return false
        case .bool(let flag): return flag
        default: throw mismatch(key, value, goType: "bool")
        }
    }

    /// A Go `int32` (or `int64` when `bits` is 64) field.
    func integer(_ key: String, bits: Int = 32) throws -> Int64 {
        guard let value = lookup(key) else { return 0 }
        let goType = "int\(bits)"
        switch value {
        case .null: return 0
        case .int(let number):
            if bits == 32, number < Int64(Int32.min) || number > Int64(Int32.max) {
                let field = (path + [key]).joined(separator: ".")
                throw GoJSONDecodeError(
                    description: "json: cannot unmarshal number \(number) into Go struct field "
                        + "\(structName).\(field) of type \(goType)"
                )
            }
            return number
        default: throw mismatch(key, value, goType: goType)
        }
    }

    func stringArray(_ key: String) throws -> [String] {
        guard let value = lookup(key) else { return [] }
        switch value {
        case .null: return []
        case .array(let elements):
            return try elements.map { element in
                switch element {
                case .string(let text): return text
                case .null: return ""
                default: throw mismatch(key, element, goType: "string")
                }
            }
        default: throw mismatch(key, value, goType: "[]string")
        }
    }

    func stringMap(_ key: String) throws -> [String: String] {
        guard let value = lookup(key) else { return [:] }
        switch value {
        case .null: return [:]
        case .object(let members):
            var map: [String: String] = [:]
            for (name, element) in members {
                switch element {
                case .string(let text): map[name] = text
                case .null: map[name] = ""
                default: throw mismatch(key, element, goType: "string")
                }
            }
            return map
        default: throw mismatch(key, value, goType: "map[string]string")
        }
    }

    /// A nested struct (pointer) field; `nil` when absent or `null`.
    func object<T>(
        _ key: String,
        structName nested: String,
        _ decode: (GoJSONObjectReader) throws -> T
    ) throws -> T? {
        guard let value = lookup(key) else { return nil }
        switch value {
        case .null: return nil
        case .object(let members):
            return try decode(GoJSONObjectReader(members: members, structName: nested, path: path + [key]))
        default: throw mismatch(key, value, goType: "discovery.\(nested)")
        }
    }

    /// A slice of structs (pointers); `null` elements stay `nil`.
    func objects<T>(
        _ key: String,
        structName nested: String,
        _ decode: (GoJSONObjectReader) throws -> T
    ) throws -> [T?] {
        guard let value = lookup(key) else { return [] }
        switch value {
        case .null: return []
        case .array(let elements):
            return try elements.map { element in
                switch element {
                case .null: return nil
                case .object(let members):
                    return try decode(GoJSONObjectReader(members: members, structName: nested, path: path + [key]))
                default: throw mismatch(key, element, goType: "discovery.\(nested)")
                }
            }
        default: throw mismatch(key, value, goType: "[]*discovery.\(nested)")
        }
    }
}
