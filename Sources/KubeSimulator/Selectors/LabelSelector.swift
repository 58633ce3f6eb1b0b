/// A parsed `labelSelector` query (`k=v`, `k==v`, `k!=v`, `k in (a,b)`, `k notin (a,b)`, `k`, `!k`, `k>1`,
/// `k<1`; comma means AND), with apimachinery's matching rules.
struct LabelSelector: Sendable, Hashable {
    /// One requirement.
    enum Requirement: Sendable, Hashable {
        case equals(String, String)
        case notEquals(String, String)
        case isIn(String, Set<String>)
        case notIn(String, Set<String>)
        case exists(String)
        case doesNotExist(String)
        case greaterThan(String, Int64)
        case lessThan(String, Int64)
    }

    /// The requirements, all of which must hold.
    let requirements: [Requirement]

    /// Matches everything.
    static let everything = LabelSelector(requirements: [])

    /// Parses a selector; the error text is what the apiserver puts into its 400.
    static func parse(_ text: String) throws(SelectorError) -> LabelSelector {
        var parser = Parser(text: Array(text.unicodeScalars))
        return LabelSelector(requirements: try parser.parse())
    }

    /// Whether `labels` satisfy every requirement.
    func matches(_ labels: [String: String]) -> Bool {
        requirements.allSatisfy { requirement in
            switch requirement {
            case .equals(let key, let value): return labels[key] == value
            case .notEquals(let key, let value): return labels[key] != value
            case .isIn(let key, let values): return labels[key].map(values.contains) ?? false
            case .notIn(let key, let values): return !(labels[key].map(values.contains) ?? false)
            case .exists(let key): return labels[key] != nil
            case .doesNotExist(let key): return labels[key] == nil
            case .greaterThan(let key, let bound): return labels[key].flatMap { Int64($0) }.map { $0 > bound } ?? false
            case .lessThan(let key, let bound): return labels[key].flatMap { Int64($0) }.map { $0 < bound } ?? false
            }
        }
    }

    private struct Parser {
        let text: [Unicode.Scalar]
        var position = 0

        init(text: [Unicode.Scalar]) { self.text = text }

        mutating func skipSpace() {
            while position < text.count, text[position] == " " || text[position] == "\t" { position += 1 }
        }

        func isIdentifierCharacter(_ scalar: Unicode.Scalar) -> Bool {
            !" \t,=!()<>".unicodeScalars.contains(scalar)
        }

        mutating func identifier() -> String {
            skipSpace()
            var result = ""
            while position < text.count, isIdentifierCharacter(text[position]) {
                result.unicodeScalars.append(text[position])
                position += 1
            }
            return result
        }

        mutating func consume(_ literal: String) -> Bool {
            skipSpace()
            let scalars = Array(literal.unicodeScalars)
            guard position + scalars.count <= text.count, Array(text[position..<position + scalars.count]) == scalars
            else { return false }
            position += scalars.count
            return true
        }

        var atEnd: Bool { position >= text.count }

        mutating func parse() throws(SelectorError) -> [Requirement] {
            var requirements: [Requirement] = []
            skipSpace()
            if atEnd { return [] }
            while true {
                requirements.append(try requirement())
                skipSpace()
                if atEnd { break }
                guard consume(",") else {
                    throw SelectorError(message: "found '\(String(text[position]))', expected: ',' or 'end of string'")
                }
            }
            return requirements
        }

        mutating func requirement() throws(SelectorError) -> Requirement {
            if consume("!") {
                let key = identifier()
                try validateKey(key)
                return .doesNotExist(key)
            }
            let key = identifier()
            try validateKey(key)
            skipSpace()
            if atEnd || text[position] == "," { return .exists(key) }
            if consume("==") || consume("=") { return .equals(key, try value()) }
            if consume("!=") { return .notEquals(key, try value()) }
            if consume(">") { return .greaterThan(key, try number()) }
            if consume("<") { return .lessThan(key, try number()) }
            let word = identifier()
            switch word {
            case "in": return .isIn(key, try valueSet())
            case "notin": return .notIn(key, try valueSet())
            default:
                throw SelectorError(
                    message: "found '\(word)', expected: in, notin, =, ==, !=, gt, lt")
            }
        }

        mutating func value() throws(SelectorError) -> String {
            let value = identifier()
            try validateValue(value)
            return value
        }

        mutating func number() throws(SelectorError) -> Int64 {
            let text = identifier()
            guard let number = Int64(text) else {
                throw SelectorError(message: "for 'Gt', 'Lt' operators, the value must be an integer")
            }
            return number
        }

        mutating func valueSet() throws(SelectorError) -> Set<String> {
            guard consume("(") else { throw SelectorError(message: "found '', expected: '('") }
            var values = Set<String>()
            while true {
                let value = identifier()
                try validateValue(value)
                values.insert(value)
                if consume(")") { break }
                guard consume(",") else { throw SelectorError(message: "found '', expected: ',', ')'") }
            }
            return values
        }

        func validateKey(_ key: String) throws(SelectorError) {
            if key.isEmpty { throw SelectorError(message: "found '', expected: identifier") }
            let name = key.split(separator: "/", omittingEmptySubsequences: false).last.map(String.init) ?? key
            if name.isEmpty || name.utf8.count > 63 || !Self.isQualifiedName(name) {
                throw SelectorError(
                    message:
                        "key: Invalid value: \(KubeJSON.quote(key)): name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"
                )
            }
        }

        func validateValue(_ value: String) throws(SelectorError) {
            if value.isEmpty { return }
            if value.utf8.count > 63 || !Self.isQualifiedName(value) {
                throw SelectorError(
                    message:
                        "values[0][\(value)]: Invalid value: \(KubeJSON.quote(value)): a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"
                )
            }
        }

        static func isQualifiedName(_ text: String) -> Bool {
            let bytes = Array(text.utf8)
            func alphanumeric(_ byte: UInt8) -> Bool {
                (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a)
            }
            guard let first = bytes.first, let last = bytes.last, alphanumeric(first), alphanumeric(last) else {
                return false
            }
            return bytes.allSatisfy { alphanumeric($0) || $0 == 0x2d || $0 == 0x5f || $0 == 0x2e }
        }
    }
}

/// A selector that cannot be parsed (400 BadRequest).
struct SelectorError: Error, Sendable {
    /// The parser's explanation.
    let message: String
}
