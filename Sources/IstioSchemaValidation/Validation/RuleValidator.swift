import BridgeKernel

/// Evaluates the `x-kubernetes-validations` rules the way apiextensions' CEL validator walks an object
/// (`schema/cel/validation.go`): the rules of a node first, then array items, map values and properties;
/// `null` values are skipped.
enum RuleValidator {
    static func validate(_ value: JSONValue, _ node: SchemaNode, _ path: ValuePath, into errors: inout [FieldError]) {
        guard node.hasRulesInSubtree else { return }
        if case .null = value { return }
        for rule in node.rules {
            report(rule, rule.implementation.evaluate(value), node, path, into: &errors)
        }
        switch value {
        case .array(let elements):
            if let items = node.items, items.hasRulesInSubtree {
                for (index, element) in elements.enumerated() {
                    validate(element, items, path.index(index), into: &errors)
                }
            }
        case .object(let members):
            if let additional = node.additionalProperties, additional.hasRulesInSubtree {
                for key in members.keys.sorted(by: GoString.less) {
                    validate(members[key]!, additional, path.key(key), into: &errors)
                }
            }
            for (name, child) in node.propertiesWithRules {
                if let member = members[name] {
                    validate(member, child, path.property(name), into: &errors)
                }
            }
        default:
            break
        }
    }

    private static func report(
        _ rule: CompiledRule, _ outcome: RuleOutcome, _ node: SchemaNode, _ path: ValuePath,
        into errors: inout [FieldError]
    ) {
        // The offending value the apiserver prints for a rule failure is the schema type, e.g. "object".
        let typeValue = JSONValue.string(node.typeName)
        switch outcome {
        case .satisfied:
            return
        case .evaluationError(let text):
            errors.append(.invalid(path.fieldPath, typeValue, "\(text) evaluating rule: \(rule.errorString)"))
        case .violated:
            var errorPath = path
            for name in rule.fieldPath { errorPath = errorPath.property(name) }
            let field = errorPath.fieldPath
            switch rule.reason {
            case .forbidden: errors.append(.forbidden(field, rule.failureMessage))
            case .required: errors.append(.required(field, rule.failureMessage))
            case .duplicate: errors.append(.duplicate(field, typeValue))
            default: errors.append(.invalid(field, typeValue, rule.failureMessage))
            }
        }
    }
}
