/// A strict RFC 8259 recursive-descent parser from UTF-8 bytes to ``JSONValue``.
///
/// Where the RFC leaves a choice it answers as Foundation's `JSONDecoder` did when ``JSONValue`` was decoded through
/// `Codable`, so documents keep their values and canonical text: numbers as ``JSONNumberConversion`` describes, the
/// first of duplicated keys wins, a UTF-8 byte order mark is skipped, `\u` escapes of unpaired surrogates and
/// malformed UTF-8 are errors, and at most ``JSONParseError/maximumDepth`` arrays and objects nest. It is stricter
/// than `JSONDecoder` in two ways: a trailing comma (`[1,]`) is an error, and so is anything but white space after
/// the document (`JSONDecoder` tolerates a NUL after a top-level number).
struct JSONParser {
    private let input: UnsafeBufferPointer<UInt8>
    private var offset = 0
    private var depth = 0
    /// Collects the bytes of strings with escapes; reused so only the first such string allocates.
    private var scratch: [UInt8] = []

    private init(input: UnsafeBufferPointer<UInt8>) {
        self.input = input
    }

    /// Parses one JSON document that must fill `input` (surrounding white space aside).
    static func parse(_ input: UnsafeBufferPointer<UInt8>) throws(JSONParseError) -> JSONValue {
        var parser = JSONParser(input: input)
        if input.count >= 3, input[0] == 0xEF, input[1] == 0xBB, input[2] == 0xBF {
            parser.offset = 3
        }
        parser.skipWhitespace()
        let value = try parser.parseValue()
        parser.skipWhitespace()
        guard parser.offset == input.count else { throw parser.error(.trailingContent) }
        return value
    }

    // MARK: Values

    private mutating func parseValue() throws(JSONParseError) -> JSONValue {
        switch try currentByte() {
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        case UInt8(ascii: "t"):
            try consumeLiteral("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try consumeLiteral("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try consumeLiteral("null")
            return .null
        default: throw error(.expectedValue)
        }
    }

    private mutating func consumeLiteral(_ literal: StaticString) throws(JSONParseError) {
        let length = literal.utf8CodeUnitCount
        guard offset + length <= input.count else { throw error(.invalidLiteral) }
        let expected = UnsafeBufferPointer(start: literal.utf8Start, count: length)
        for index in 0..<length where input[offset + index] != expected[index] {
            throw error(.invalidLiteral)
        }
        offset += length
    }

    private mutating func parseObject() throws(JSONParseError) -> JSONValue {
        try enterContainer()
        defer { depth -= 1 }
        offset += 1  // {
        skipWhitespace()
        var members: [String: JSONValue] = [:]
        if try currentByte() == UInt8(ascii: "}") {
            offset += 1
            return .object(members)
        }
        while true {
            guard try currentByte() == UInt8(ascii: "\"") else { throw error(.expectedKey) }
            let key = try parseString()
            skipWhitespace()
            guard try currentByte() == UInt8(ascii: ":") else { throw error(.expectedColon) }
            offset += 1
            skipWhitespace()
            let value = try parseValue()
            // The first occurrence wins, as in JSONDecoder; duplicates are rare, so the usual case hashes once.
            if let first = members.updateValue(value, forKey: key) {
                members[key] = first
            }
            if try endOfContainerAfterItem(closing: UInt8(ascii: "}"), otherwise: .expectedCommaOrObjectEnd) {
                return .object(members)
            }
        }
    }

    private mutating func parseArray() throws(JSONParseError) -> JSONValue {
        try enterContainer()
        defer { depth -= 1 }
        offset += 1  // [
        skipWhitespace()
        var elements: [JSONValue] = []
        if try currentByte() == UInt8(ascii: "]") {
            offset += 1
            return .array(elements)
        }
        while true {
            elements.append(try parseValue())
            if try endOfContainerAfterItem(closing: UInt8(ascii: "]"), otherwise: .expectedCommaOrArrayEnd) {
                return .array(elements)
            }
        }
    }

    /// After a member or element: consumes a `,` that another item follows (`false`) or the closing bracket
    /// (`true`); anything else, or a comma right before the bracket, is an error.
    private mutating func endOfContainerAfterItem(closing: UInt8, otherwise code: JSONParseError.Code)
        throws(JSONParseError) -> Bool
    {
        skipWhitespace()
        switch try currentByte() {
        case UInt8(ascii: ","):
            let comma = offset
            offset += 1
            skipWhitespace()
            if try currentByte() == closing { throw JSONParseError(code: .trailingComma, offset: comma) }
            return false
        case closing:
            offset += 1
            return true
        default:
            throw error(code)
        }
    }

    private mutating func enterContainer() throws(JSONParseError) {
        depth += 1
        guard depth <= JSONParseError.maximumDepth else { throw error(.nestingTooDeep) }
    }

    // MARK: Strings

    /// Reads a string whose opening quote is at `offset`. Runs without escapes are copied as they are (validated as
    /// UTF-8 on the way); only strings with escapes go through `scratch`.
    private mutating func parseString() throws(JSONParseError) -> String {
        let quote = offset
        offset += 1
        var runStart = offset
        var escaped = false
        while offset < input.count {
            let byte = input[offset]
            if byte >= 0x20, byte < 0x80, byte != UInt8(ascii: "\""), byte != UInt8(ascii: "\\") {
                offset += 1
            } else if byte == UInt8(ascii: "\"") {
                let run = UnsafeBufferPointer(rebasing: input[runStart..<offset])
                offset += 1
                guard escaped else { return String(decoding: run, as: UTF8.self) }
                scratch.append(contentsOf: run)
                return String(decoding: scratch, as: UTF8.self)
            } else if byte == UInt8(ascii: "\\") {
                if !escaped {
                    escaped = true
                    scratch.removeAll(keepingCapacity: true)
                }
                scratch.append(contentsOf: UnsafeBufferPointer(rebasing: input[runStart..<offset]))
                try appendEscape()
                runStart = offset
            } else if byte < 0x20 {
                throw error(.unescapedControlCharacter)
            } else {
                try skipUTF8Sequence()
            }
        }
        throw JSONParseError(code: .unterminatedString, offset: quote)
    }

    /// Decodes the escape at `offset` (a backslash) into `scratch`.
    private mutating func appendEscape() throws(JSONParseError) {
        let backslash = offset
        offset += 1
        guard offset < input.count else { throw JSONParseError(code: .unexpectedEnd, offset: offset) }
        let byte = input[offset]
        offset += 1
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): scratch.append(byte)
        case UInt8(ascii: "b"): scratch.append(0x08)
        case UInt8(ascii: "f"): scratch.append(0x0C)
        case UInt8(ascii: "n"): scratch.append(0x0A)
        case UInt8(ascii: "r"): scratch.append(0x0D)
        case UInt8(ascii: "t"): scratch.append(0x09)
        case UInt8(ascii: "u"):
            let unit = try readHexQuad(escapeAt: backslash)
            switch unit {
            case 0xD800...0xDBFF:
                guard offset + 1 < input.count, input[offset] == UInt8(ascii: "\\"),
                    input[offset + 1] == UInt8(ascii: "u")
                else { throw JSONParseError(code: .unpairedSurrogate, offset: backslash) }
                let second = offset
                offset += 2
                let low = try readHexQuad(escapeAt: second)
                guard (0xDC00...0xDFFF).contains(low) else {
                    throw JSONParseError(code: .unpairedSurrogate, offset: backslash)
                }
                appendUTF8(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00))
            case 0xDC00...0xDFFF:
                throw JSONParseError(code: .unpairedSurrogate, offset: backslash)
            default:
                appendUTF8(unit)
            }
        default:
            throw JSONParseError(code: .invalidEscape, offset: backslash)
        }
    }

    /// The four hexadecimal digits after `\u`.
    private mutating func readHexQuad(escapeAt backslash: Int) throws(JSONParseError) -> UInt32 {
        guard offset + 4 <= input.count else { throw JSONParseError(code: .invalidUnicodeEscape, offset: backslash) }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = input[offset]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw JSONParseError(code: .invalidUnicodeEscape, offset: backslash)
            }
            value = value << 4 | UInt32(digit)
            offset += 1
        }
        return value
    }

    /// Appends a Unicode scalar value (never a surrogate) as UTF-8.
    private mutating func appendUTF8(_ scalar: UInt32) {
        switch scalar {
        case 0..<0x80:
            scratch.append(UInt8(scalar))
        case 0x80..<0x800:
            scratch.append(UInt8(0xC0 | scalar >> 6))
            scratch.append(UInt8(0x80 | scalar & 0x3F))
        case 0x800..<0x10000:
            scratch.append(UInt8(0xE0 | scalar >> 12))
            scratch.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            scratch.append(UInt8(0x80 | scalar & 0x3F))
        default:
            scratch.append(UInt8(0xF0 | scalar >> 18))
            scratch.append(UInt8(0x80 | scalar >> 12 & 0x3F))
            scratch.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            scratch.append(UInt8(0x80 | scalar & 0x3F))
        }
    }

    /// Steps over one well-formed multi-byte UTF-8 sequence (Unicode table 3-7): no overlong forms, no surrogates,
    /// nothing above U+10FFFF.
    private mutating func skipUTF8Sequence() throws(JSONParseError) {
        let lead = input[offset]
        let length: Int
        var second: ClosedRange<UInt8> = 0x80...0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0: (length, second) = (3, 0xA0...0xBF)
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: (length, second) = (3, 0x80...0x9F)
        case 0xF0: (length, second) = (4, 0x90...0xBF)
        case 0xF1...0xF3: length = 4
        case 0xF4: (length, second) = (4, 0x80...0x8F)
        default: throw error(.invalidUTF8)
        }
        guard offset + length <= input.count, second.contains(input[offset + 1]) else { throw error(.invalidUTF8) }
        for index in 2..<length where input[offset + index] & 0xC0 != 0x80 {
            throw error(.invalidUTF8)
        }
        offset += length
    }

    // MARK: Numbers

    /// Reads a number; plain integers that fit `Int64` are converted here, the rest by ``JSONNumberConversion``.
    private mutating func parseNumber() throws(JSONParseError) -> JSONValue {
        let start = offset
        let negative = input[offset] == UInt8(ascii: "-")
        if negative { offset += 1 }
        guard offset < input.count, isDigit(input[offset]) else { throw error(.invalidNumber) }
        var magnitude: UInt64 = 0
        var fitsUInt64 = true
        if input[offset] == UInt8(ascii: "0") {
            offset += 1
            if offset < input.count, isDigit(input[offset]) {
                throw JSONParseError(code: .leadingZero, offset: offset - 1)
            }
        } else {
            repeat {
                let (product, productOverflow) = magnitude.multipliedReportingOverflow(by: 10)
                let (sum, sumOverflow) = product.addingReportingOverflow(UInt64(input[offset] &- UInt8(ascii: "0")))
                if productOverflow || sumOverflow { fitsUInt64 = false }
                magnitude = sum
                offset += 1
            } while offset < input.count && isDigit(input[offset])
        }
        var plainInteger = true
        if offset < input.count, input[offset] == UInt8(ascii: ".") {
            plainInteger = false
            offset += 1
            try skipDigits()
        }
        if offset < input.count, input[offset] | 0x20 == UInt8(ascii: "e") {
            plainInteger = false
            offset += 1
            if offset < input.count, input[offset] == UInt8(ascii: "+") || input[offset] == UInt8(ascii: "-") {
                offset += 1
            }
            try skipDigits()
        }
        if plainInteger, fitsUInt64 {
            if !negative, magnitude <= UInt64(Int64.max) { return .int(Int64(magnitude)) }
            // Two's complement negation; 2^63 becomes Int64.min.
            if negative, magnitude <= UInt64(Int64.max) + 1 { return .int(Int64(truncatingIfNeeded: 0 &- magnitude)) }
        }
        let token = UnsafeBufferPointer(rebasing: input[start..<offset])
        guard let value = JSONNumberConversion.value(of: token) else {
            throw JSONParseError(code: .numberOutOfRange, offset: start)
        }
        return value
    }

    /// Steps over one or more digits.
    private mutating func skipDigits() throws(JSONParseError) {
        guard offset < input.count, isDigit(input[offset]) else { throw error(.invalidNumber) }
        repeat { offset += 1 } while offset < input.count && isDigit(input[offset])
    }

    private func isDigit(_ byte: UInt8) -> Bool {
        byte &- UInt8(ascii: "0") < 10
    }

    // MARK: Positions

    /// The byte at `offset`; the end of the input is an error wherever a byte is required.
    private func currentByte() throws(JSONParseError) -> UInt8 {
        guard offset < input.count else { throw error(.unexpectedEnd) }
        return input[offset]
    }

    private mutating func skipWhitespace() {
        while offset < input.count {
            switch input[offset] {
            case 0x20, 0x0A, 0x0D, 0x09: offset += 1
            default: return
            }
        }
    }

    private func error(_ code: JSONParseError.Code) -> JSONParseError {
        JSONParseError(code: code, offset: offset)
    }
}
