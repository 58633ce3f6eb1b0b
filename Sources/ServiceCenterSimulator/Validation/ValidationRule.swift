/// A Service Center validation rule (`pkg/validate.Rule`): minimum, maximum and pattern, checked the way the Go
/// validator checks them, failing with the Go message
/// `field 'MicroService.ServiceName' invalid value 'a b' does not match rule: {Min: 1, Max: 128, Regexp: ...}`.
struct ValidationRule: Sendable, CustomStringConvertible {
    var min: Int = 0
    var max: Int = 0
    var pattern: GoPattern?

    var description: String {
        var parts: [String] = []
        if min != 0 { parts.append("Min: \(min)") }
        if max != 0 { parts.append("Max: \(max)") }
        if let pattern { parts.append("Regexp: \(pattern.source)") }
        return "{" + parts.joined(separator: ", ") + "}"
    }

    /// A field value as the Go validator sees it through reflection.
    enum Value {
        case string(String)
        case integer(Int64)
        case strings([String])
        case map([String: String])
        /// A pointer field: only "nil or not" matters to a rule.
        case pointer(isNil: Bool)
    }

    /// The first offending value (Go's `invalidValue`), or `nil` when `value` satisfies the rule.
    func violation(_ value: Value) -> String? {
        switch value {
        case .string(let text):
            if text.utf8.count < min { return text }
            if max > 0, text.unicodeScalars.count > max { return text }
            if let pattern, !pattern.matches(text) { return text }
        case .integer(let number):
            if number < Int64(min) { return String(number) }
            if max > 0, number > Int64(max) { return String(number) }
        case .strings(let elements):
            if elements.count < min || (max > 0 && elements.count > max) {
                return "[" + elements.joined(separator: " ") + "]"
            }
            if let pattern, let bad = elements.first(where: { !pattern.matches($0) }) { return bad }
        case .map(let map):
            if map.count < min || (max > 0 && map.count > max) { return Self.goMapText(map) }
            if let pattern {
                for key in map.keys.sorted() {
                    if !pattern.matches(key) { return key }
                    if !pattern.matches(map[key]!) { return map[key]! }
                }
            }
        case .pointer(let isNil):
            if isNil { return "<nil>" }
        }
        return nil
    }

    private static func goMapText(_ map: [String: String]) -> String {
        "map[" + map.keys.sorted().map { "\($0):\(map[$0]!)" }.joined(separator: " ") + "]"
    }
}

/// Checks the fields of one Go struct in declaration order and reports the first violation.
struct StructValidator {
    /// The Go type name used in messages, e.g. `MicroService`.
    let typeName: String

    func check(_ field: String, _ value: ValidationRule.Value, _ rule: ValidationRule) throws(ServiceCenterAPIError) {
        if let bad = rule.violation(value) {
            throw ServiceCenterAPIError(
                .invalidParameters,
                "field '\(typeName).\(field)' invalid value '\(bad)' does not match rule: \(rule)"
            )
        }
    }
}
