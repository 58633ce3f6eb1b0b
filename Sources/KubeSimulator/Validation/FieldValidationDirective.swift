/// The `fieldValidation` query parameter: what to do with unknown fields in a request body.
enum FieldValidationDirective: String, Sendable {
    /// Drop them silently.
    case ignore = "Ignore"
    /// Drop them and answer with a `Warning` header per field (the server default).
    case warn = "Warn"
    /// Reject the request with 400.
    case strict = "Strict"

    /// Parses the query value; absent means ``warn``.
    static func parse(_ value: String?) throws(APIError) -> FieldValidationDirective {
        guard let value, !value.isEmpty else { return .warn }
        guard let directive = FieldValidationDirective(rawValue: value) else {
            throw APIError.badRequest(
                "fieldValidation: Unsupported value: \(KubeJSON.quote(value)): supported values: \"Ignore\", \"Warn\", \"Strict\""
            )
        }
        return directive
    }
}
