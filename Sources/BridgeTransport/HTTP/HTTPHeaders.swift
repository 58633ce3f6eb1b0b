/// An ordered list of HTTP header fields with case-insensitive lookup.
///
/// Order and repetition are preserved, so a header that occurs several times (`Set-Cookie`, `Warning`) keeps
/// all of its values.
public struct HTTPHeaders: Sendable, Hashable, Sequence, ExpressibleByDictionaryLiteral, CustomStringConvertible {
    /// One header field.
    public struct Field: Sendable, Hashable {
        /// The field name as received or given (case is preserved, comparisons ignore it).
        public var name: String
        /// The field value without surrounding whitespace.
        public var value: String

        /// Creates a field.
        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    private var fields: [Field]

    /// Creates headers from `(name, value)` pairs, keeping their order.
    public init(_ fields: [(String, String)] = []) {
        self.fields = fields.map { Field(name: $0.0, value: $0.1) }
    }

    /// Creates headers from a literal such as `["Accept": "application/json"]`, keeping the written order.
    public init(dictionaryLiteral elements: (String, String)...) {
        self.init(elements)
    }

    /// The number of fields.
    public var count: Int { self.fields.count }

    /// The first value of the field `name` (case-insensitive); `nil` if absent. Setting replaces every field
    /// named `name` with one field (or removes them when set to `nil`).
    public subscript(name: String) -> String? {
        get { self.fields.first { Self.matches($0.name, name) }?.value }
        set {
            self.remove(name: name)
            if let newValue {
                self.add(name: name, value: newValue)
            }
        }
    }

    /// Every value of the field `name` (case-insensitive), in order.
    public func values(for name: String) -> [String] {
        self.fields.filter { Self.matches($0.name, name) }.map(\.value)
    }

    /// Appends a field, keeping existing fields of the same name.
    public mutating func add(name: String, value: String) {
        self.fields.append(Field(name: name, value: value))
    }

    /// Removes every field named `name` (case-insensitive).
    public mutating func remove(name: String) {
        self.fields.removeAll { Self.matches($0.name, name) }
    }

    /// Whether a field named `name` is present.
    public func contains(_ name: String) -> Bool {
        self.fields.contains { Self.matches($0.name, name) }
    }

    /// Iterates the fields in order.
    public func makeIterator() -> IndexingIterator<[Field]> {
        self.fields.makeIterator()
    }

    /// The fields as `Name: value` pairs separated by commas.
    public var description: String {
        self.fields.map { "\($0.name): \($0.value)" }.joined(separator: ", ")
    }

    static func matches(_ lhs: String, _ rhs: String) -> Bool {
        lhs.utf8.count == rhs.utf8.count && lhs.lowercased() == rhs.lowercased()
    }
}
