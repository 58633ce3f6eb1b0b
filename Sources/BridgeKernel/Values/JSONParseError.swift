/// A JSON text that `JSONValue.parse(_:)` refused: what was wrong and at which byte.
///
/// The description reads like `invalid JSON at byte 17: expected ':' after an object key`.
public struct JSONParseError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What was wrong.
    public enum Code: String, Hashable, Sendable {
        /// The text ended where more was required (an empty text, an unclosed array or object).
        case unexpectedEnd
        /// A value was expected but something else was found.
        case expectedValue
        /// A bare word that is not `true`, `false` or `null`.
        case invalidLiteral
        /// An object member does not start with a string key.
        case expectedKey
        /// An object key is not followed by `:`.
        case expectedColon
        /// An object member is followed by neither `,` nor `}`.
        case expectedCommaOrObjectEnd
        /// An array element is followed by neither `,` nor `]`.
        case expectedCommaOrArrayEnd
        /// A `,` directly before `]` or `}`.
        case trailingComma
        /// A string without its closing quote.
        case unterminatedString
        /// A control character (U+0000 to U+001F) that is not escaped inside a string.
        case unescapedControlCharacter
        /// A backslash followed by a character that is not a JSON escape.
        case invalidEscape
        /// `\u` not followed by four hexadecimal digits.
        case invalidUnicodeEscape
        /// A `\u` escape of a UTF-16 surrogate that is not part of a high-low pair.
        case unpairedSurrogate
        /// Bytes that are not well-formed UTF-8.
        case invalidUTF8
        /// A number with a superfluous leading zero (`01`).
        case leadingZero
        /// A number without the digits its grammar requires (`-`, `1.`, `1e`).
        case invalidNumber
        /// A number too large for a `Double` (`1e400`).
        case numberOutOfRange
        /// Arrays and objects nested deeper than ``JSONParseError/maximumDepth``.
        case nestingTooDeep
        /// Something other than white space after the document.
        case trailingContent
    }

    /// The deepest nesting of arrays and objects the parser accepts (as Foundation's `JSONDecoder` does); deeper
    /// documents are refused rather than risking the stack.
    public static let maximumDepth = 512

    /// What was wrong.
    public var code: Code
    /// The 0-based offset of the offending byte in the input.
    public var offset: Int

    /// Creates an error.
    public init(code: Code, offset: Int) {
        self.code = code
        self.offset = offset
    }

    public var description: String { "invalid JSON at byte \(offset): \(explanation)" }

    private var explanation: String {
        switch code {
        case .unexpectedEnd: return "unexpected end of input"
        case .expectedValue: return "expected a value (object, array, string, number, true, false or null)"
        case .invalidLiteral: return "unknown literal (expected true, false or null)"
        case .expectedKey: return "expected a string key in an object"
        case .expectedColon: return "expected ':' after an object key"
        case .expectedCommaOrObjectEnd: return "expected ',' or '}' after an object member"
        case .expectedCommaOrArrayEnd: return "expected ',' or ']' after an array element"
        case .trailingComma: return "trailing comma before the end of an array or object"
        case .unterminatedString: return "string without a closing quote"
        case .unescapedControlCharacter: return "control character in a string must be escaped"
        case .invalidEscape: return "invalid escape sequence in a string"
        case .invalidUnicodeEscape: return "\\u must be followed by four hexadecimal digits"
        case .unpairedSurrogate: return "\\u escape of a UTF-16 surrogate without its pair"
        case .invalidUTF8: return "invalid UTF-8 byte sequence"
        case .leadingZero: return "leading zeros are not allowed in numbers"
        case .invalidNumber: return "expected a digit in a number"
        case .numberOutOfRange: return "number is too large to represent"
        case .nestingTooDeep: return "arrays and objects nested deeper than \(Self.maximumDepth) levels"
        case .trailingContent: return "unexpected content after the JSON document"
        }
    }
}
