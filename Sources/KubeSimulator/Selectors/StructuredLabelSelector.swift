import BridgeKernel

/// A `metav1.LabelSelector` object (`matchLabels` and `matchExpressions`, as in a Deployment's `spec.selector`)
/// turned into ``LabelSelector`` requirements, with apimachinery's printing (`FormatLabelSelector`).
enum StructuredLabelSelector {
    /// The requirements of `selector`, or `nil` when an expression is malformed (unknown operator, values
    /// missing for `In`/`NotIn` or present for `Exists`/`DoesNotExist`).
    static func requirements(_ selector: JSONValue) -> [LabelSelector.Requirement]? {
        var requirements: [LabelSelector.Requirement] = []
        for (key, value) in selector["matchLabels"]?.objectValue ?? [:] {
            requirements.append(.equals(key, value.stringValue ?? ""))
        }
        for expression in selector["matchExpressions"]?.arrayValue ?? [] {
            let key = expression["key"]?.stringValue ?? ""
            let values = (expression["values"]?.arrayValue ?? []).compactMap(\.stringValue)
            switch expression["operator"]?.stringValue {
            case "In" where !values.isEmpty: requirements.append(.isIn(key, Set(values)))
            case "NotIn" where !values.isEmpty: requirements.append(.notIn(key, Set(values)))
            case "Exists" where values.isEmpty: requirements.append(.exists(key))
            case "DoesNotExist" where values.isEmpty: requirements.append(.doesNotExist(key))
            default: return nil
            }
        }
        return requirements
    }

    /// `FormatLabelSelector`: requirements sorted by key (`app=x,tier in (a,b)`), `<none>` when empty,
    /// `<error>` when malformed.
    static func format(_ selector: JSONValue?) -> String {
        guard let selector, selector != .null else { return "<none>" }
        guard let requirements = requirements(selector) else { return "<error>" }
        let rendered = requirements.map { requirement -> (key: String, text: String) in
            switch requirement {
            case .equals(let key, let value): return (key, "\(key)=\(value)")
            case .notEquals(let key, let value): return (key, "\(key)!=\(value)")
            case .isIn(let key, let values): return (key, "\(key) in (\(values.sorted().joined(separator: ",")))")
            case .notIn(let key, let values):
                return (key, "\(key) notin (\(values.sorted().joined(separator: ",")))")
            case .exists(let key): return (key, key)
            case .doesNotExist(let key): return (key, "!" + key)
            case .greaterThan(let key, let bound): return (key, "\(key)>\(bound)")
            case .lessThan(let key, let bound): return (key, "\(key)<\(bound)")
            }
        }
        let text = rendered.sorted { ($0.key, $0.text) < ($1.key, $1.text) }.map(\.text).joined(separator: ",")
        return text.isEmpty ? "<none>" : text
    }
}
