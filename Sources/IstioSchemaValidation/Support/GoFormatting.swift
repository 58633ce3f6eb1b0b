import BridgeKernel

/// Renders values the way Go's `fmt` package does, because the apiserver's error texts are built with
/// `fmt.Sprintf("%v" / "%q" / "%#v")` and callers compare them byte for byte.
enum GoFormatting {
    /// `fmt.Sprintf("%v", float64)`: shortest round-trip digits, exponent form when the decimal exponent is
    /// below -4 or at least 6 (`1e+06`, `4.294967295e+09`, `0.0001`, `1e-05`).
    static func float(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Inf" : "+Inf" }
        if value == 0 { return value.sign == .minus ? "-0" : "0" }
        let (digits, pointPosition) = shortestDigits(abs(value))
        let sign = value < 0 ? "-" : ""
        let exponent = pointPosition - 1
        if exponent < -4 || exponent >= 6 {
            var mantissa = String(digits.first!)
            if digits.count > 1 {
                mantissa += "." + digits.dropFirst()
            }
            let exponentDigits = String(abs(exponent))
            let paddedExponent = exponentDigits.count < 2 ? "0" + exponentDigits : exponentDigits
            return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + paddedExponent
        }
        if pointPosition <= 0 {
            return sign + "0." + String(repeating: "0", count: -pointPosition) + digits
        }
        if pointPosition >= digits.count {
            return sign + digits + String(repeating: "0", count: pointPosition - digits.count)
        }
        let splitIndex = digits.index(digits.startIndex, offsetBy: pointPosition)
        return sign + digits[..<splitIndex] + "." + digits[splitIndex...]
    }

    /// The shortest decimal digits that round-trip `value` (> 0) and the position of the decimal point
    /// relative to them (value = 0.DIGITS × 10^pointPosition).
    private static func shortestDigits(_ value: Double) -> (digits: String, pointPosition: Int) {
        // Swift's description already is the shortest round-trip representation; only its layout differs.
        let text = value.description
        var mantissa = Substring(text)
        var exponent = 0
        if let eIndex = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = text[..<eIndex]
            exponent = Int(text[text.index(after: eIndex)...])!
        }
        var integerPart = mantissa
        var fractionPart: Substring = ""
        if let dot = mantissa.firstIndex(of: ".") {
            integerPart = mantissa[..<dot]
            fractionPart = mantissa[mantissa.index(after: dot)...]
        }
        var digits = String(integerPart) + fractionPart
        var pointPosition = integerPart.count + exponent
        while digits.first == "0" {
            digits.removeFirst()
            pointPosition -= 1
        }
        while digits.last == "0" {
            digits.removeLast()
        }
        return (digits, pointPosition)
    }

    /// `strconv.Quote`: double-quoted with Go escapes; printable Unicode stays literal.
    static func quote(_ text: String) -> String {
        var output = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\u{07}": output += "\\a"
            case "\u{08}": output += "\\b"
            case "\u{0C}": output += "\\f"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            case "\u{0B}": output += "\\v"
            default:
                if isPrintable(scalar) {
                    output.unicodeScalars.append(scalar)
                } else if scalar.value < 0x80 {
                    output += "\\x" + hex(scalar.value, width: 2)
                } else if scalar.value < 0x10000 {
                    output += "\\u" + hex(scalar.value, width: 4)
                } else {
                    output += "\\U" + hex(scalar.value, width: 8)
                }
            }
        }
        return output + "\""
    }

    /// Go's `unicode.IsPrint`: letters, marks, numbers, punctuation, symbols and the ASCII space.
    private static func isPrintable(_ scalar: Unicode.Scalar) -> Bool {
        if scalar == " " { return true }
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
            .nonspacingMark, .spacingMark, .enclosingMark,
            .decimalNumber, .letterNumber, .otherNumber,
            .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
            .initialPunctuation, .finalPunctuation, .otherPunctuation,
            .mathSymbol, .currencySymbol, .modifierSymbol, .otherSymbol:
            return true
        default:
            return false
        }
    }

    private static func hex(_ value: UInt32, width: Int) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    /// `fmt.Sprintf("%#v", v)` for a value decoded from JSON into `interface{}` (Go syntax representation:
    /// `map[string]interface {}{"name":"a"}`, `[]interface {}{"a", 1}`, `"s"`, `1`, `true`, `interface {}(nil)`).
    static func goSyntax(_ value: JSONValue) -> String {
        switch value {
        case .null: return "interface {}(nil)"
        case .bool(let flag): return flag ? "true" : "false"
        case .int(let number): return String(number)
        case .double(let number): return float(number)
        case .string(let text): return quote(text)
        case .array(let elements):
            return "[]interface {}{" + elements.map(goSyntaxElement).joined(separator: ", ") + "}"
        case .object(let members):
            let body = members.keys.sorted(by: GoString.less).map { quote($0) + ":" + goSyntaxElement(members[$0]!) }
            return "map[string]interface {}{" + body.joined(separator: ", ") + "}"
        }
    }

    /// Inside a composite literal Go prints `nil` interface elements as `interface {}(nil)` too.
    private static func goSyntaxElement(_ value: JSONValue) -> String {
        goSyntax(value)
    }
}

/// Byte-wise string semantics as in Go (Swift's `==` and `<` on `String` apply Unicode canonical equivalence,
/// which Go does not).
enum GoString {
    static func equal(_ lhs: String, _ rhs: String) -> Bool {
        lhs.utf8.elementsEqual(rhs.utf8)
    }

    static func less(_ lhs: String, _ rhs: String) -> Bool {
        lhs.utf8.lexicographicallyPrecedes(rhs.utf8)
    }

    static func hasPrefix(_ text: String, _ prefix: String) -> Bool {
        text.utf8.starts(with: prefix.utf8)
    }

    static func hasSuffix(_ text: String, _ suffix: String) -> Bool {
        text.utf8.reversed().starts(with: suffix.utf8.reversed())
    }

    static func contains(_ text: String, _ needle: String) -> Bool {
        let haystack = Array(text.utf8)
        let pattern = Array(needle.utf8)
        if pattern.isEmpty { return true }
        if pattern.count > haystack.count { return false }
        for start in 0...(haystack.count - pattern.count)
        where haystack[start] == pattern[0] && haystack[start..<(start + pattern.count)].elementsEqual(pattern) {
            return true
        }
        return false
    }

    /// Length in Unicode code points, as CEL's `size()` and kube-openapi's `maxLength` count.
    static func codePointCount(_ text: String) -> Int {
        text.unicodeScalars.count
    }
}
