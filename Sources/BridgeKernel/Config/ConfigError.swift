/// A problem in a configuration file, located by file, line and column and by the offending key's path.
public struct ConfigError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What kind of problem it is.
    public enum Code: String, Sendable, Hashable {
        /// The file is not valid YAML.
        case syntax
        /// A key the schema does not know (often a typo).
        case unknownKey
        /// A required key is absent.
        case missingKey
        /// A value has the wrong type (a list where a string was expected, …).
        case wrongType
        /// A value has the right type but is not acceptable (a bad duration, a port out of range, …).
        case invalidValue
        /// The same key appears twice in one mapping.
        case duplicateKey
    }

    /// What kind of problem it is.
    public var code: Code
    /// The file, as given on the command line.
    public var file: String
    /// 1-based line.
    public var line: Int
    /// 1-based column.
    public var column: Int
    /// The key path, e.g. `sources[0].services[2].port`; empty for the document root.
    public var path: String
    /// What is wrong, for an operator.
    public var message: String

    /// Creates an error.
    public init(code: Code, file: String, line: Int, column: Int, path: String, message: String) {
        self.code = code
        self.file = file
        self.line = line
        self.column = column
        self.path = path
        self.message = message
    }

    /// `file:line:column: path: message`, the form compilers use, so editors can jump to it.
    public var description: String {
        "\(file):\(line):\(column): " + (path.isEmpty ? "" : "\(path): ") + message
    }
}

/// All problems found in a configuration file.
public struct ConfigErrors: Error, Sendable, CustomStringConvertible {
    /// The problems, in file order.
    public var errors: [ConfigError]

    /// Creates the collection.
    public init(_ errors: [ConfigError]) {
        self.errors = errors.sorted { ($0.line, $0.column) < ($1.line, $1.column) }
    }

    public var description: String { errors.map(\.description).joined(separator: "\n") }
}
