/// apimachinery's name and label syntax checks (`k8s.io/apimachinery/pkg/util/validation/validation.go`),
/// returning the same messages.
public enum NameValidation {
    private static let qualifiedNameErrorMessage =
        "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character"
    private static let qualifiedNameFormat = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]"
    private static let labelValueErrorMessage =
        "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character"
    private static let labelValueFormat = "(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?"
    private static let dns1123LabelErrorMessage =
        "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character"
    private static let dns1123LabelFormat = "[a-z0-9]([-a-z0-9]*[a-z0-9])?"
    private static let dns1123SubdomainErrorMessage =
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character"
    private static let dns1123SubdomainFormat = "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*"

    /// `MaxLenError`.
    static func maxLengthError(_ length: Int) -> String { "must be no more than \(length) characters" }

    /// `RegexError`.
    static func regexError(_ message: String, _ format: String, _ examples: [String]) -> String {
        guard !examples.isEmpty else { return message + " (regex used for validation is '" + format + "')" }
        return message + " (e.g. " + examples.map { "'" + $0 + "', " }.joined(separator: "or ")
            + "regex used for validation is '" + format + "')"
    }

    /// `IsDNS1123Label`: at most 63 characters of `[a-z0-9]([-a-z0-9]*[a-z0-9])?`.
    public static func dns1123LabelErrors(_ value: String) -> [String] {
        var errors: [String] = []
        if value.utf8.count > 63 { errors.append(maxLengthError(63)) }
        // A label is a subdomain without dots: one scanner for both.
        if value.utf8.contains(UInt8(ascii: ".")) || !isDNS1123Subdomain(value) {
            if isDNS1123Subdomain(value) {
                errors.append("must not contain dots")
            } else {
                errors.append(regexError(dns1123LabelErrorMessage, dns1123LabelFormat, ["my-name", "123-abc"]))
            }
        }
        return errors
    }

    /// `IsDNS1123Subdomain`: at most 253 characters of dot-separated DNS-1123 labels.
    public static func dns1123SubdomainErrors(_ value: String) -> [String] {
        var errors: [String] = []
        if value.utf8.count > 253 { errors.append(maxLengthError(253)) }
        if !isDNS1123Subdomain(value) {
            errors.append(regexError(dns1123SubdomainErrorMessage, dns1123SubdomainFormat, ["example.com"]))
        }
        return errors
    }

    /// `IsQualifiedName`: an optional DNS-1123 subdomain prefix and `/`, then a name of at most 63 characters.
    public static func qualifiedNameErrors(_ value: String) -> [String] {
        var errors: [String] = []
        let parts = value.split(separator: "/", omittingEmptySubsequences: false)
        let name: Substring
        switch parts.count {
        case 1:
            name = parts[0]
        case 2:
            let prefix = parts[0]
            name = parts[1]
            if prefix.isEmpty {
                errors.append("prefix part must be non-empty")
            } else {
                errors.append(contentsOf: dns1123SubdomainErrors(String(prefix)).map { "prefix part " + $0 })
            }
        default:
            return [
                "a qualified name "
                    + regexError(qualifiedNameErrorMessage, qualifiedNameFormat, ["MyName", "my.name", "123-abc"])
                    + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"
            ]
        }
        if name.isEmpty {
            errors.append("name part must be non-empty")
        } else if name.utf8.count > 63 {
            errors.append("name part " + maxLengthError(63))
        }
        if !isQualifiedName(name.utf8) {
            errors.append(
                "name part "
                    + regexError(qualifiedNameErrorMessage, qualifiedNameFormat, ["MyName", "my.name", "123-abc"]))
        }
        return errors
    }

    /// `IsValidLabelValue`: empty, or at most 63 characters of the qualified-name alphabet.
    public static func labelValueErrors(_ value: String) -> [String] {
        var errors: [String] = []
        if value.utf8.count > 63 { errors.append(maxLengthError(63)) }
        if !value.isEmpty && !isQualifiedName(value.utf8[...]) {
            errors.append(regexError(labelValueErrorMessage, labelValueFormat, ["MyValue", "my_value", "12345"]))
        }
        return errors
    }

    // MARK: Character classes

    private static func isLowerAlphanumeric(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
            || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        isLowerAlphanumeric(byte) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
    }

    private static func isDNS1123Subdomain(_ value: String) -> Bool {
        // One pass over the bytes, label by label (every object name and label key of every write comes here).
        var atLabelStart = true
        var previous: UInt8 = 0
        for byte in value.utf8 {
            if byte == UInt8(ascii: ".") {
                guard !atLabelStart, previous != UInt8(ascii: "-") else { return false }
                atLabelStart = true
            } else if atLabelStart {
                guard isLowerAlphanumeric(byte) else { return false }
                atLabelStart = false
            } else {
                guard isLowerAlphanumeric(byte) || byte == UInt8(ascii: "-") else { return false }
            }
            previous = byte
        }
        return !atLabelStart && previous != UInt8(ascii: "-")
    }

    /// `([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]`.
    private static func isQualifiedName(_ bytes: Substring.UTF8View) -> Bool {
        guard let first = bytes.first, let last = bytes.last, isAlphanumeric(first), isAlphanumeric(last) else {
            return false
        }
        return bytes.allSatisfy {
            isAlphanumeric($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".")
        }
    }
}
