import Yams

/// Collects the problems found while reading one configuration file, so every error is reported in one run
/// instead of one per attempt.
public final class ConfigProblems {
    /// The file name used in messages.
    public let file: String
    /// What was found so far.
    public private(set) var errors: [ConfigError] = []

    /// Creates an empty collector for `file`.
    public init(file: String) {
        self.file = file
    }

    /// Records a problem at `mark`.
    public func record(_ code: ConfigError.Code, at mark: Mark?, path: String, _ message: String) {
        errors.append(
            ConfigError(
                code: code, file: file, line: mark?.line ?? 1, column: mark?.column ?? 1, path: path, message: message))
    }
}

/// A YAML value in a configuration file, with its position and key path, and typed accessors that record
/// precise errors instead of throwing.
///
/// Accessors return `nil` after recording an error, so a decoder can keep going and report every problem.
public struct ConfigNode {
    /// The YAML node.
    public let node: Node
    /// The key path from the document root, e.g. `sinks[1].directory`.
    public let path: String
    /// Where problems go.
    public let problems: ConfigProblems

    /// Wraps a node.
    public init(node: Node, path: String, problems: ConfigProblems) {
        self.node = node
        self.path = path
        self.problems = problems
    }

    /// Parses YAML text into its root node, recording a syntax error with its position when it is not YAML.
    public static func parse(yaml: String, problems: ConfigProblems) -> ConfigNode? {
        do {
            guard let root = try Yams.compose(yaml: yaml) else {
                problems.record(.syntax, at: nil, path: "", "the file is empty")
                return nil
            }
            return ConfigNode(node: root, path: "", problems: problems)
        } catch let error as YamlError {
            switch error {
            case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
                .composer(let context, let problem, let mark, _):
                let detail = [context?.text, problem].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ": ")
                problems.record(.syntax, at: mark, path: "", "not valid YAML: \(detail)")
            default:
                problems.record(.syntax, at: nil, path: "", "not valid YAML: \(error)")
            }
            return nil
        } catch {
            problems.record(.syntax, at: nil, path: "", "not valid YAML: \(error)")
            return nil
        }
    }

    /// Records a problem at this node.
    public func fail(_ code: ConfigError.Code = .invalidValue, _ message: String) {
        problems.record(code, at: node.mark, path: path, message)
    }

    /// A short rendering of the value for messages.
    public var quotedValue: String {
        switch node {
        case .scalar(let scalar): return "\"\(scalar.string)\""
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        }
    }

    private var isNull: Bool {
        if case .scalar(let scalar) = node, scalar.style == .plain {
            return ["", "~", "null", "Null", "NULL"].contains(scalar.string)
        }
        return false
    }

    /// Reads a mapping whose keys must all be in `allowedKeys`; unknown and duplicate keys are reported.
    public func mapping(allowedKeys: Set<String>) -> ConfigMapping? {
        guard case .mapping(let mapping) = node else {
            fail(
                .wrongType,
                "expected a mapping of keys (\(allowedKeys.sorted().joined(separator: ", "))), got \(quotedValue)")
            return nil
        }
        var entries: [String: ConfigNode] = [:]
        for (keyNode, valueNode) in mapping {
            let key = keyNode.string ?? ""
            let childPath = path.isEmpty ? key : "\(path).\(key)"
            guard allowedKeys.contains(key) else {
                let suggestion = Self.closest(to: key, in: allowedKeys).map { " (did you mean \"\($0)\"?)" } ?? ""
                problems.record(
                    .unknownKey, at: keyNode.mark, path: childPath,
                    "unknown key \"\(key)\"\(suggestion); allowed here: \(allowedKeys.sorted().joined(separator: ", "))"
                )
                continue
            }
            guard entries[key] == nil else {
                problems.record(
                    .duplicateKey, at: keyNode.mark, path: childPath, "key \"\(key)\" appears more than once")
                continue
            }
            entries[key] = ConfigNode(node: valueNode, path: childPath, problems: problems)
        }
        return ConfigMapping(owner: self, entries: entries)
    }

    /// Reads a list.
    public func list() -> [ConfigNode]? {
        guard case .sequence(let sequence) = node else {
            fail(.wrongType, "expected a list, got \(quotedValue)")
            return nil
        }
        return sequence.enumerated().map { index, element in
            ConfigNode(node: element, path: "\(path)[\(index)]", problems: problems)
        }
    }

    /// Reads a string scalar (numbers and booleans are accepted as their text).
    public func string() -> String? {
        guard case .scalar(let scalar) = node, !isNull else {
            fail(.wrongType, "expected a string, got \(isNull ? "nothing" : quotedValue)")
            return nil
        }
        return scalar.string
    }

    /// Reads a non-empty string.
    public func nonEmptyString() -> String? {
        guard let value = string() else { return nil }
        guard !value.isEmpty else {
            fail(.invalidValue, "must not be empty")
            return nil
        }
        return value
    }

    /// Reads an integer within `range`.
    public func int(in range: ClosedRange<Int> = Int.min...Int.max) -> Int? {
        guard case .scalar(let scalar) = node, let value = Int(scalar.string) else {
            fail(.wrongType, "expected an integer, got \(quotedValue)")
            return nil
        }
        guard range.contains(value) else {
            fail(.invalidValue, "\(value) is out of range \(range.lowerBound)...\(range.upperBound)")
            return nil
        }
        return value
    }

    /// Reads a boolean (`true`/`false`; YAML 1.1's `yes`/`no`/`on`/`off` are rejected as ambiguous).
    public func bool() -> Bool? {
        guard case .scalar(let scalar) = node else {
            fail(.wrongType, "expected true or false, got \(quotedValue)")
            return nil
        }
        switch scalar.string.lowercased() {
        case "true": return true
        case "false": return false
        default:
            fail(.wrongType, "expected true or false, got \(quotedValue)")
            return nil
        }
    }

    /// Reads a duration such as `500ms`, `1s` or `1m30s`.
    public func duration(minimum: Duration = .zero) -> Duration? {
        guard case .scalar(let scalar) = node else {
            fail(.wrongType, "expected a duration such as 500ms, 1s or 1m30s, got \(quotedValue)")
            return nil
        }
        guard let value = DurationSyntax.parse(scalar.string) else {
            fail(
                .invalidValue,
                "\"\(scalar.string)\" is not a duration; use a number with a unit: ns, us, ms, s, m or h (e.g. 500ms, 1s, 1m30s)"
            )
            return nil
        }
        guard value >= minimum else {
            fail(.invalidValue, "must be at least \(DurationSyntax.format(minimum))")
            return nil
        }
        return value
    }

    /// Reads a list of strings.
    public func stringList() -> [String]? {
        guard let elements = list() else { return nil }
        let values = elements.compactMap { $0.string() }
        return values.count == elements.count ? values : nil
    }

    /// Reads a mapping of strings to strings (any keys).
    public func stringMap() -> [String: String]? {
        guard case .mapping(let mapping) = node else {
            fail(.wrongType, "expected a mapping of strings, got \(quotedValue)")
            return nil
        }
        var result: [String: String] = [:]
        var ok = true
        for (keyNode, valueNode) in mapping {
            let key = keyNode.string ?? ""
            guard let value = ConfigNode(node: valueNode, path: "\(path).\(key)", problems: problems).string() else {
                ok = false
                continue
            }
            result[key] = value
        }
        return ok ? result : nil
    }

    /// Reads one of a fixed set of values (case-sensitive).
    public func oneOf(_ allowed: [String]) -> String? {
        guard let value = string() else { return nil }
        guard allowed.contains(value) else {
            fail(.invalidValue, "\"\(value)\" is not one of: \(allowed.joined(separator: ", "))")
            return nil
        }
        return value
    }

    private static func closest(to key: String, in candidates: Set<String>) -> String? {
        candidates
            .map { ($0, editDistance(key.lowercased(), $0.lowercased())) }
            .filter { $0.1 <= max(2, key.count / 3) }
            .min { ($0.1, $0.0) < ($1.1, $1.0) }?.0
    }

    private static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a)
        let b = Array(b)
        var previous = Array(0...b.count)
        for i in 1...max(a.count, 1) where !a.isEmpty {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...max(b.count, 1) where !b.isEmpty {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}

/// A mapping in a configuration file whose keys were checked against the allowed set.
public struct ConfigMapping {
    /// The mapping node itself.
    public let owner: ConfigNode
    private let entries: [String: ConfigNode]

    init(owner: ConfigNode, entries: [String: ConfigNode]) {
        self.owner = owner
        self.entries = entries
    }

    /// The value of `key`, if present.
    public subscript(key: String) -> ConfigNode? { entries[key] }

    /// The value of `key`, recording a missing-key error when it is absent.
    public func required(_ key: String) -> ConfigNode? {
        guard let node = entries[key] else {
            owner.problems.record(
                .missingKey, at: owner.node.mark, path: owner.path.isEmpty ? key : "\(owner.path).\(key)",
                "required key \"\(key)\" is missing")
            return nil
        }
        return node
    }

    /// Whether `key` is present.
    public func contains(_ key: String) -> Bool { entries[key] != nil }
}
