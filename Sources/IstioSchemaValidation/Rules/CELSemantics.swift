import BridgeKernel

/// The few pieces of CEL semantics the Istio rules need, written against ``JSONValue``.
///
/// Values reaching a rule have already passed the structural checks (the apiserver skips rules after a type
/// error), so a wrong type here means a caller bypassed them; it is reported as a CEL `no such overload` error.
enum CEL {
    /// Error text cel-go produces for a call whose argument types have no overload.
    static let noSuchOverload = "no such overload"

    /// `has(self.<name>)`: field presence on an object.
    static func has(_ value: JSONValue, _ name: String) -> Bool {
        value[name] != nil
    }

    /// A string argument, or `nil` when the value is not a string.
    static func string(_ value: JSONValue) -> String? {
        value.stringValue
    }

    /// A numeric value for comparisons (CEL compares int, uint and double across types).
    static func number(_ value: JSONValue) -> Double? {
        switch value {
        case .int(let number): return Double(number)
        case .double(let number): return number
        default: return nil
        }
    }

    /// CEL `==` on two numbers (heterogeneous numeric equality).
    static func numbersEqual(_ lhs: JSONValue, _ rhs: JSONValue) -> Bool? {
        switch (lhs, rhs) {
        case (.int(let left), .int(let right)): return left == right
        default:
            guard let left = number(lhs), let right = number(rhs) else { return nil }
            return left == right
        }
    }

    /// `<string>.substring(start, end)` from the Kubernetes CEL strings library, counting code points.
    static func substring(_ text: String, _ start: Int, _ end: Int) -> Result<String, RuleEvaluationFailure> {
        let scalars = Array(text.unicodeScalars)
        if start > end { return .failure(.init("invalid substring range. start: \(start), end: \(end)")) }
        if start < 0 || start > scalars.count { return .failure(.init("index out of range: \(start)")) }
        if end < 0 || end > scalars.count { return .failure(.init("index out of range: \(end)")) }
        var output = String.UnicodeScalarView()
        output.append(contentsOf: scalars[start..<end])
        return .success(String(output))
    }

    /// The macro `list.all(x, p)` / `map.all(k, p)`: false wins over errors, errors win over true.
    static func all<Element>(_ elements: some Sequence<Element>, _ predicate: (Element) -> RuleOutcome) -> RuleOutcome {
        var firstError: RuleOutcome?
        for element in elements {
            let outcome = predicate(element)
            switch outcome {
            case .satisfied: continue
            case .violated: return .violated
            case .evaluationError: if firstError == nil { firstError = outcome }
            }
        }
        return firstError ?? .satisfied
    }

    /// The macro `list.exists(x, p)`: true wins over errors, errors win over false.
    static func exists<Element>(_ elements: some Sequence<Element>, _ predicate: (Element) -> RuleOutcome)
        -> RuleOutcome
    {
        var firstError: RuleOutcome?
        for element in elements {
            let outcome = predicate(element)
            switch outcome {
            case .satisfied: return .satisfied
            case .violated: continue
            case .evaluationError: if firstError == nil { firstError = outcome }
            }
        }
        return firstError ?? .violated
    }

    /// The macro `list.exists_one(x, p)`: any error is the result; otherwise exactly one match.
    static func existsOne<Element>(_ elements: some Sequence<Element>, _ predicate: (Element) -> RuleOutcome)
        -> RuleOutcome
    {
        var matches = 0
        for element in elements {
            switch predicate(element) {
            case .satisfied: matches += 1
            case .violated: continue
            case .evaluationError(let text): return .evaluationError(text)
            }
        }
        return matches == 1 ? .satisfied : .violated
    }

    /// Converts a Boolean into an outcome.
    static func outcome(_ condition: Bool) -> RuleOutcome {
        condition ? .satisfied : .violated
    }
}

/// A CEL run-time error message.
struct RuleEvaluationFailure: Error, Sendable {
    let text: String
    init(_ text: String) { self.text = text }
}
