import BridgeKernel

/// Reproducible pseudo-random JSON material (SplitMix64), so differential tests cover far more shapes than
/// hand-written cases while failing the same way on every run.
struct RandomJSON: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }

    /// A number token: optional sign, 1–25 integer digits, optionally 1–25 fraction digits and an exponent in
    /// -30…30 (kept small: `JSONDecoder` traps on exponents a `Decimal` cannot hold).
    mutating func numberToken() -> String {
        var token = Bool.random(using: &self) ? "-" : ""
        let integerDigits = Int.random(in: 1...25, using: &self)
        if integerDigits == 1 || Int.random(in: 0..<8, using: &self) == 0 {
            token += String(Int.random(in: 0...9, using: &self))
        } else {
            token += String(Int.random(in: 1...9, using: &self))
            token += digits(integerDigits - 1)
        }
        if Bool.random(using: &self) {
            token += "." + digits(Int.random(in: 1...25, using: &self))
        }
        if Int.random(in: 0..<3, using: &self) == 0 {
            token += ["e", "E"].randomElement(using: &self)! + ["", "+", "-"].randomElement(using: &self)!
            token += String(Int.random(in: 0...30, using: &self))
        }
        return token
    }

    /// Digits biased towards 0 and 9, where rounding and trailing-zero handling differ.
    private mutating func digits(_ count: Int) -> String {
        String((0..<count).map { _ in "0000123456789999".randomElement(using: &self)! })
    }

    /// A string mixing ASCII, quotes, backslashes, control characters, 2-, 3- and 4-byte UTF-8 and combining marks.
    mutating func string() -> String {
        let pool: [Unicode.Scalar] = [
            "a", "Z", "0", " ", "/", "\"", "\\", "\u{00}", "\u{01}", "\u{08}", "\u{09}", "\u{0A}", "\u{0C}", "\u{0D}",
            "\u{1F}", "\u{7F}", "é", "\u{0301}", "ß", "€", "\u{2028}", "\u{FEFF}", "\u{FFFD}", "中", "😀", "\u{10FFFF}",
        ]
        var text = String.UnicodeScalarView()
        for _ in 0..<Int.random(in: 0...12, using: &self) {
            text.append(pool.randomElement(using: &self)!)
        }
        return String(text)
    }

    /// JSON text of `text` with every character written in one of the ways the grammar allows: raw where that is
    /// legal, a short escape where there is one, or `\u` escapes (upper- or lowercase, surrogate pairs above the BMP).
    mutating func encodedString(_ text: String) -> String {
        var output = "\""
        for scalar in text.unicodeScalars {
            let short: String? =
                switch scalar {
                case "\"": "\\\""
                case "\\": "\\\\"
                case "/": Bool.random(using: &self) ? "\\/" : nil
                case "\u{08}": "\\b"
                case "\u{0C}": "\\f"
                case "\n": "\\n"
                case "\r": "\\r"
                case "\t": "\\t"
                default: nil
                }
            switch Int.random(in: 0..<3, using: &self) {
            case 0 where short != nil: output += short!
            case 1: output += unicodeEscape(scalar)
            default:
                if let short {
                    output += short
                } else if scalar.value < 0x20 {
                    output += unicodeEscape(scalar)
                } else {
                    output.unicodeScalars.append(scalar)
                }
            }
        }
        return output + "\""
    }

    private mutating func unicodeEscape(_ scalar: Unicode.Scalar) -> String {
        let uppercase = Bool.random(using: &self)
        func quad(_ unit: UInt32) -> String {
            let hex = String(unit, radix: 16, uppercase: uppercase)
            return "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        }
        guard scalar.value > 0xFFFF else { return quad(scalar.value) }
        let value = scalar.value - 0x10000
        return quad(0xD800 + (value >> 10)) + quad(0xDC00 + (value & 0x3FF))
    }

    /// A document of nested arrays and objects `depth` levels deep at most.
    mutating func value(depth: Int) -> JSONValue {
        let kind = Int.random(in: 0..<(depth > 0 ? 8 : 6), using: &self)
        switch kind {
        case 0: return .null
        case 1: return .bool(Bool.random(using: &self))
        case 2:
            return .int(Int64.random(in: Int64.min...Int64.max, using: &self) >> Int64.random(in: 0...63, using: &self))
        case 3:
            let magnitude =
                Double.random(in: 0..<1, using: &self) * [1e-8, 1, 1e6, 1e15, 1e200].randomElement(using: &self)!
            return .double(Bool.random(using: &self) ? -magnitude : magnitude)
        case 4, 5: return .string(string())
        case 6:
            return .array((0..<Int.random(in: 0...4, using: &self)).map { _ in value(depth: depth - 1) })
        default:
            var members: [String: JSONValue] = [:]
            for _ in 0..<Int.random(in: 0...4, using: &self) {
                members[string()] = value(depth: depth - 1)
            }
            return .object(members)
        }
    }

    /// JSON text of `value` with random insignificant white space and randomly encoded strings.
    mutating func text(of value: JSONValue) -> String {
        let space = [" ", "", "", "\n", "\t", "\r\n  "].randomElement(using: &self)!
        switch value {
        case .array(let elements):
            return "[" + space + elements.map { text(of: $0) }.joined(separator: space + "," + space) + "]"
        case .object(let members):
            let parts = members.map { key, member in encodedString(key) + space + ":" + space + text(of: member) }
            return "{" + space + parts.joined(separator: "," + space) + space + "}"
        case .string(let string): return encodedString(string)
        default: return value.canonicalJSON
        }
    }
}
