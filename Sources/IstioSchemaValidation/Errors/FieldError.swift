import BridgeKernel

/// One validation failure, shaped and worded exactly like apimachinery's `field.Error`
/// (`k8s.io/apimachinery/pkg/util/validation/field/errors.go`).
///
/// ``message`` is what `Error()` prints (`spec.hosts: Required value`); ``body`` is what a 422 `Status` cause
/// carries (`Required value`).
public struct FieldError: Hashable, Sendable, CustomStringConvertible {
    /// The cause type, spelled as the `reason` of a `Status` cause.
    public enum Reason: String, Hashable, Sendable, CaseIterable {
        case notFound = "FieldValueNotFound"
        case required = "FieldValueRequired"
        case duplicate = "FieldValueDuplicate"
        case invalid = "FieldValueInvalid"
        case notSupported = "FieldValueNotSupported"
        case forbidden = "FieldValueForbidden"
        case tooLong = "FieldValueTooLong"
        case tooMany = "FieldValueTooMany"
        case internalError = "InternalError"
        case typeInvalid = "FieldValueTypeInvalid"

        /// The words apimachinery prints for the type (`ErrorType.String()`).
        public var text: String {
            switch self {
            case .notFound: return "Not found"
            case .required: return "Required value"
            case .duplicate: return "Duplicate value"
            case .invalid: return "Invalid value"
            case .notSupported: return "Unsupported value"
            case .forbidden: return "Forbidden"
            case .tooLong: return "Too long"
            case .tooMany: return "Too many"
            case .internalError: return "Internal error"
            case .typeInvalid: return "Invalid value"
            }
        }

        /// Reasons after which the apiserver skips the CEL rules (`hasBlockingErr` in the CR strategy).
        var blocksValidationRules: Bool {
            switch self {
            case .notSupported, .required, .tooLong, .tooMany, .typeInvalid: return true
            default: return false
            }
        }
    }

    /// The offending value as Go would print it; `omitted` where apimachinery prints none.
    public enum BadValue: Hashable, Sendable {
        /// No value is printed.
        case omitted
        /// A JSON value, printed with Go's `%v` / `%q` / `%#v` rules.
        case value(JSONValue)
    }

    /// The cause reason.
    public var reason: Reason
    /// The field path (`spec.ports[1].number`; `<nil>` for errors the apiserver reports without a path).
    public var field: String
    /// The offending value.
    public var badValue: BadValue
    /// The explanation after the value (may be empty).
    public var detail: String

    /// Creates an error from its parts.
    public init(reason: Reason, field: String, badValue: BadValue, detail: String) {
        self.reason = reason
        self.field = field
        self.badValue = badValue
        self.detail = detail
    }

    /// `ErrorBody()`: the message without the field path, as in `Status.details.causes[].message`.
    public var body: String {
        var text: String
        switch (reason, badValue) {
        case (.required, _), (.forbidden, _), (.tooLong, _), (.internalError, _), (_, .omitted):
            text = reason.text
        case (_, .value(let value)):
            text = reason.text + ": " + Self.render(value)
        }
        if !detail.isEmpty { text += ": " + detail }
        return text
    }

    /// `Error()`: `<field>: <body>`.
    public var message: String { field + ": " + body }

    public var description: String { message }

    /// Go's formatting of a bad value inside `ErrorBody` (`null` is printed as the quoted string `"null"`).
    private static func render(_ value: JSONValue) -> String {
        switch value {
        case .null: return "\"null\""
        case .bool(let flag): return flag ? "true" : "false"
        case .int(let number): return String(number)
        case .double(let number): return GoFormatting.float(number)
        case .string(let text): return GoFormatting.quote(text)
        case .array, .object: return GoFormatting.goSyntax(value)
        }
    }
}

extension FieldError {
    /// `field.Required`.
    static func required(_ path: String, _ detail: String = "") -> FieldError {
        FieldError(reason: .required, field: path, badValue: .value(""), detail: detail)
    }

    /// `field.Invalid`.
    static func invalid(_ path: String, _ value: JSONValue, _ detail: String) -> FieldError {
        FieldError(reason: .invalid, field: path, badValue: .value(value), detail: detail)
    }

    /// `field.TypeInvalid`.
    static func typeInvalid(_ path: String, _ value: JSONValue, _ detail: String) -> FieldError {
        FieldError(reason: .typeInvalid, field: path, badValue: .value(value), detail: detail)
    }

    /// `field.NotSupported` with its `supported values: "a", "b"` detail.
    static func notSupported(_ path: String, _ value: JSONValue, _ supported: [String]) -> FieldError {
        let detail =
            supported.isEmpty ? "" : "supported values: " + supported.map(GoFormatting.quote).joined(separator: ", ")
        return FieldError(reason: .notSupported, field: path, badValue: .value(value), detail: detail)
    }

    /// `field.Duplicate`.
    static func duplicate(_ path: String, _ value: JSONValue) -> FieldError {
        FieldError(reason: .duplicate, field: path, badValue: .value(value), detail: "")
    }

    /// `field.Forbidden`.
    static func forbidden(_ path: String, _ detail: String) -> FieldError {
        FieldError(reason: .forbidden, field: path, badValue: .value(""), detail: detail)
    }

    /// `field.TooLong` (the value is never printed).
    static func tooLong(_ path: String, maximum: Int64) -> FieldError {
        let detail = maximum >= 0 ? "may not be more than \(maximum) bytes" : "value is too long"
        return FieldError(reason: .tooLong, field: path, badValue: .value("<value omitted>"), detail: detail)
    }

    /// `field.TooMany`.
    static func tooMany(_ path: String, actual: Int64, maximum: Int64) -> FieldError {
        let detail = maximum >= 0 ? "must have at most \(maximum) items" : "has too many items"
        return FieldError(
            reason: .tooMany, field: path, badValue: actual >= 0 ? .value(.int(actual)) : .omitted, detail: detail)
    }

    /// `field.InternalError`.
    static func internalError(_ path: String, _ detail: String) -> FieldError {
        FieldError(reason: .internalError, field: path, badValue: .value(.null), detail: detail)
    }
}
