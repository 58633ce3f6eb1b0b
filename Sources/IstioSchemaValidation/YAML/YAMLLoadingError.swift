/// A YAML text could not be turned into JSON values.
public struct YAMLLoadingError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What kind of problem occurred.
    public enum Code: Hashable, Sendable {
        /// The text is not well-formed YAML.
        case syntax
        /// A mapping repeats a key.
        case duplicateKey
        /// The YAML uses a feature that has no JSON equivalent here (aliases, non-scalar keys).
        case unsupported
        /// A single document was required but the stream held another number of documents.
        case documentCount
    }

    /// What kind of problem occurred.
    public var code: Code
    /// The parser's explanation.
    public var detail: String
    /// The 0-based line of the offending node, when known.
    public var line: Int?

    /// Creates an error.
    public init(code: Code, detail: String, line: Int? = nil) {
        self.code = code
        self.detail = detail
        self.line = line
    }

    public var description: String {
        if let line { return "YAML \(code) at line \(line + 1): \(detail)" }
        return "YAML \(code): \(detail)"
    }
}
