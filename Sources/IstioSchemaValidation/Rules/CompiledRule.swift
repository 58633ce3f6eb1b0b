import BridgeKernel

/// The result of evaluating one rule against one value.
enum RuleOutcome: Sendable, Equatable {
    /// The rule evaluated to `true`.
    case satisfied
    /// The rule evaluated to `false`: the apiserver reports the rule's message.
    case violated
    /// CEL evaluation failed at run time (e.g. `index out of range: 8`): reported as `<error> evaluating rule: ...`.
    case evaluationError(String)
}

/// A hand-written Swift implementation of one CEL rule text.
struct RuleImplementation: Sendable {
    /// The schema types of the node (`self`) the implementation is written for.
    let selfTypes: Set<SchemaType>
    /// Evaluates the rule with `self` bound to the value.
    let evaluate: @Sendable (JSONValue) -> RuleOutcome
}

/// An `x-kubernetes-validations` entry bound to its implementation.
struct CompiledRule: Sendable {
    /// The CEL text exactly as in the CRD.
    let rule: String
    /// `message`, trimmed; `nil` when the CRD gives none.
    let message: String?
    /// `reason` (`FieldValueInvalid` when absent).
    let reason: FieldError.Reason?
    /// `fieldPath` split into property names, appended to the node's path for the error.
    let fieldPath: [String]
    let implementation: RuleImplementation

    /// `ruleErrorString`: the message, or the rule text when there is none.
    var errorString: String {
        message ?? rule.trimmingWhitespace
    }

    /// `ruleMessageOrDefault`: the message, or `failed rule: <rule>`.
    var failureMessage: String {
        message ?? "failed rule: " + rule.trimmingWhitespace
    }
}

extension String {
    /// Go's `strings.TrimSpace` for ASCII white space and the Unicode spaces that matter in CRD text.
    var trimmingWhitespace: String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
            let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(scalars[first...last])
    }
}
