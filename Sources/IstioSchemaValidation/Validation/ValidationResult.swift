import BridgeKernel

/// The outcome of validating one custom resource.
public struct ValidationResult: Sendable {
    /// The API group of the validated kind.
    public let group: String
    /// The kind.
    public let kind: String
    /// `metadata.name` of the object (may be empty).
    public let name: String
    /// The object as the apiserver would store it: unknown fields and non-nullable `null`s removed, and the
    /// request namespace filled in when one was given.
    public internal(set) var object: JSONValue
    /// Schema and metadata errors, in the order the apiserver reports them; empty when the object is valid.
    public internal(set) var errors: [FieldError] = []
    /// Paths of fields the schema does not know (`spec.foo`, `metadata.bar`), sorted as the apiserver sorts
    /// them. They are not errors: the apiserver drops them and warns (`fieldValidation=Warn`, the default) or
    /// rejects the request with 400 (`Strict`).
    public internal(set) var unknownFields: [String] = []
    /// Set when the body cannot even be decoded (a `metadata` member of the wrong JSON type): the apiserver
    /// answers 400 BadRequest with this message and validates nothing.
    public internal(set) var decodingFailure: String?

    init(group: String, kind: String, name: String, object: JSONValue) {
        self.group = group
        self.kind = kind
        self.name = name
        self.object = object
    }

    /// Whether the apiserver would accept the object (unknown fields aside).
    public var isValid: Bool { errors.isEmpty && decodingFailure == nil }

    /// The apiserver's `... is invalid: ...` message, or `nil` when there are no errors.
    public var message: String? {
        errors.isEmpty ? nil : InvalidStatus.message(group: group, kind: kind, name: name, errors: errors)
    }

    /// The 422 `Status` body the apiserver answers with, or `nil` when there are no errors.
    public var statusBody: JSONValue? {
        // Spelled out: `cond ? nil : body` would turn `nil` into `JSONValue.null`.
        guard !errors.isEmpty else { return Optional.none }
        return InvalidStatus.body(group: group, kind: kind, name: name, errors: errors)
    }

    /// The warnings the apiserver sends for unknown fields with `fieldValidation=Warn` (one per field).
    public var unknownFieldWarnings: [String] {
        unknownFields.map { "unknown field \"\($0)\"" }
    }

    /// The 400 message for `fieldValidation=Strict` when there are unknown fields.
    public var strictDecodingMessage: String? {
        unknownFields.isEmpty ? nil : "strict decoding error: " + unknownFieldWarnings.joined(separator: ", ")
    }
}
