import BridgeKernel
import Foundation

/// A parsed `fieldSelector` (`metadata.name=x`, `metadata.namespace!=y`, comma = AND) limited to the fields a
/// resource supports.
struct FieldSelector: Sendable {
    /// One term.
    struct Term: Sendable {
        var field: String
        var value: String
        var negated: Bool
    }

    /// The terms, all of which must hold.
    let terms: [Term]

    /// Matches everything.
    static let everything = FieldSelector(terms: [])

    /// Parses `text`, accepting `metadata.name`, `metadata.namespace` and `extraFields`.
    static func parse(_ text: String, extraFields: [String]) throws(SelectorError) -> FieldSelector {
        var terms: [Term] = []
        for part in text.split(separator: ",", omittingEmptySubsequences: true) {
            let term = String(part)
            let field: Substring
            let value: Substring
            var negated = false
            if let range = term.range(of: "!=") {
                field = term[..<range.lowerBound]
                value = term[range.upperBound...]
                negated = true
            } else if let range = term.range(of: "==") {
                field = term[..<range.lowerBound]
                value = term[range.upperBound...]
            } else if let range = term.range(of: "=") {
                field = term[..<range.lowerBound]
                value = term[range.upperBound...]
            } else {
                throw SelectorError(message: "invalid selector: '\(text)'; can't understand '\(term)'")
            }
            let name = field.trimmingCharacters(in: .whitespaces)
            let supported = ["metadata.name", "metadata.namespace"] + extraFields
            guard supported.contains(name) else {
                throw SelectorError(
                    message:
                        "\(KubeJSON.quote(name)) is not a known field selector: only \(supported.map(KubeJSON.quote).joined(separator: ", "))"
                )
            }
            terms.append(Term(field: name, value: String(value), negated: negated))
        }
        return FieldSelector(terms: terms)
    }

    /// Whether the object satisfies every term.
    func matches(_ object: JSONValue) -> Bool {
        terms.allSatisfy { term in
            let actual: String
            switch term.field {
            case "metadata.name": actual = object["metadata"]?["name"]?.stringValue ?? ""
            case "metadata.namespace": actual = object["metadata"]?["namespace"]?.stringValue ?? ""
            case "status.phase": actual = object["status"]?["phase"]?.stringValue ?? ""
            default: actual = ""
            }
            return (actual == term.value) != term.negated
        }
    }
}
