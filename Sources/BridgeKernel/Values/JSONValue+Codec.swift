import Foundation

extension JSONValue: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int64.self) {
            self = .int(value)
        } else if let value = try? container.decode(Double.self) {
            self = .double(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .int(let value): try container.encode(value)
        case .double(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }
}

extension JSONValue {
    /// Parses a JSON document (RFC 8259, UTF-8).
    ///
    /// Numbers, duplicate keys and strings come out as `JSONDecoder` decodes them through the `Codable` conformance
    /// (see `JSONParser` and `JSONNumberConversion`), without its detour through Foundation.
    ///
    /// - Throws: ``JSONParseError`` when `data` is not a JSON document.
    public static func parse(_ data: some Collection<UInt8>) throws -> JSONValue {
        if let value = try data.withContiguousStorageIfAvailable({ bytes throws(JSONParseError) in
            try JSONParser.parse(bytes)
        }) {
            return value
        }
        return try Array(data).withUnsafeBufferPointer { bytes throws(JSONParseError) in try JSONParser.parse(bytes) }
    }

    /// Parses a JSON document held in a string.
    ///
    /// - Throws: ``JSONParseError`` when `text` is not a JSON document.
    public static func parse(_ text: String) throws -> JSONValue {
        try parse(text.utf8)
    }

    /// Canonical compact JSON: keys sorted by their UTF-8 bytes, no insignificant white space.
    ///
    /// Equal values always produce equal bytes, so the text doubles as a content fingerprint.
    public var canonicalJSON: String {
        var writer = JSONCanonicalWriter()
        writer.write(self)
        return String(decoding: writer.bytes, as: UTF8.self)
    }
}
