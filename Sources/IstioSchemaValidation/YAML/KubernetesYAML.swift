import BridgeKernel
import Yams

/// Reads YAML into ``JSONValue`` trees the way Kubernetes tooling does (`sigs.k8s.io/yaml`, i.e. go-yaml v2
/// with YAML 1.1 scalar rules, then JSON).
///
/// - Plain scalars resolve like go-yaml v2: `~`/`null`/empty → null; `y|yes|true|on` and `n|no|false|off` (three
///   capitalisations) → bool; `0x`/`0o`/`0b`/leading-`0` octal and decimal integers (with `_` separators) → int;
///   decimal floats → double; everything else, including timestamps, stays a string (its original text).
/// - Quoted and block scalars are always strings. Non-string mapping keys become their JSON text, as
///   `sigs.k8s.io/yaml` does.
/// - go-yaml v2 accepts a plain scalar that ends in `:` inside a flow collection (`[1.2.3.4, 001:db8::]`), libyaml
///   rejects it. When libyaml reports exactly that, the text is parsed again with such flow scalars quoted,
///   which yields what go-yaml yields (a string).
public enum KubernetesYAML {
    /// Parses every document of a multi-document YAML stream; empty documents are skipped.
    ///
    /// - Throws: ``YAMLLoadingError`` for malformed YAML, aliases or duplicate keys.
    public static func documents(_ text: String) throws(YAMLLoadingError) -> [JSONValue] {
        do {
            return try parseDocuments(text)
        } catch {
            guard error.code == .syntax, error.detail.contains("found unexpected ':'") else { throw error }
            return try parseDocuments(FlowScalarQuoting.quoteColonScalars(in: text))
        }
    }

    /// Parses a stream that must hold exactly one (non-empty) document.
    public static func document(_ text: String) throws(YAMLLoadingError) -> JSONValue {
        let all = try documents(text)
        guard all.count == 1 else {
            throw YAMLLoadingError(code: .documentCount, detail: "expected one YAML document, found \(all.count)")
        }
        return all[0]
    }

    private static func parseDocuments(_ text: String) throws(YAMLLoadingError) -> [JSONValue] {
        var result: [JSONValue] = []
        do {
            let parser = try Parser(yaml: text)
            while let node = try parser.nextRoot() {
                let value = try convert(node)
                if value != .null { result.append(value) }
            }
        } catch let error as YAMLLoadingError {
            throw error
        } catch {
            throw YAMLLoadingError(code: .syntax, detail: String(describing: error))
        }
        return result
    }

    private static func convert(_ node: Node) throws -> JSONValue {
        switch node {
        case .scalar(let scalar):
            return scalar.style == .plain ? resolvePlain(scalar.string) : .string(scalar.string)
        case .sequence(let sequence):
            return .array(try sequence.map(convert))
        case .mapping(let mapping):
            var members: [String: JSONValue] = [:]
            members.reserveCapacity(mapping.count)
            for (keyNode, valueNode) in mapping {
                let key = try keyText(keyNode)
                guard members[key] == nil else {
                    throw YAMLLoadingError(
                        code: .duplicateKey, detail: "mapping key \"\(key)\" already defined", line: keyNode.mark?.line)
                }
                members[key] = try convert(valueNode)
            }
            return .object(members)
        case .alias:
            throw YAMLLoadingError(code: .unsupported, detail: "YAML aliases are not supported", line: node.mark?.line)
        }
    }

    private static func keyText(_ node: Node) throws -> String {
        guard case .scalar(let scalar) = node else {
            throw YAMLLoadingError(code: .unsupported, detail: "mapping keys must be scalars", line: node.mark?.line)
        }
        guard scalar.style == .plain else { return scalar.string }
        switch resolvePlain(scalar.string) {
        case .string(let text): return text
        case .int(let number): return String(number)
        case .double(let number): return GoFormatting.float(number)
        case .bool(let flag): return flag ? "true" : "false"
        case .null: return "null"
        case .array, .object: return scalar.string
        }
    }

    /// go-yaml v2 `resolve()` for an untagged plain scalar.
    static func resolvePlain(_ text: String) -> JSONValue {
        switch text {
        case "", "~", "null", "Null", "NULL": return .null
        case "y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON": return .bool(true)
        case "n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF": return .bool(false)
        case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF": return .double(.infinity)
        case "-.inf", "-.Inf", "-.INF": return .double(-.infinity)
        case ".nan", ".NaN", ".NAN": return .double(.nan)
        default: break
        }
        guard let first = text.utf8.first,
            first == UInt8(ascii: "-") || first == UInt8(ascii: "+")
                || first == UInt8(ascii: ".") || (first >= UInt8(ascii: "0") && first <= UInt8(ascii: "9"))
        else { return .string(text) }
        if let integer = parseInteger(String(text.filter { $0 != "_" })) {
            return integer
        }
        if isDecimalFloat(text), let number = Double(text) {
            return .double(number)
        }
        return .string(text)
    }

    /// `strconv.ParseInt(s, 0, 64)` then `ParseUint`: optional sign, `0x`/`0o`/`0b` prefixes, leading-zero octal.
    private static func parseInteger(_ text: String) -> JSONValue? {
        var body = Substring(text)
        var negative = false
        if body.first == "-" || body.first == "+" {
            negative = body.first == "-"
            body = body.dropFirst()
        }
        guard !body.isEmpty else { return nil }
        var radix = 10
        let lower = body.lowercased()
        if lower.hasPrefix("0x") {
            radix = 16
            body = body.dropFirst(2)
        } else if lower.hasPrefix("0o") {
            radix = 8
            body = body.dropFirst(2)
        } else if lower.hasPrefix("0b") {
            radix = 2
            body = body.dropFirst(2)
        } else if body.count > 1 && body.first == "0" {
            radix = 8
            body = body.dropFirst()
        }
        guard !body.isEmpty, let magnitude = UInt64(body, radix: radix) else { return nil }
        if negative {
            if magnitude <= UInt64(Int64.max) { return .int(-Int64(magnitude)) }
            if magnitude == UInt64(Int64.max) + 1 { return .int(Int64.min) }
            return nil
        }
        if magnitude <= UInt64(Int64.max) { return .int(Int64(magnitude)) }
        return .double(Double(magnitude))
    }

    /// go-yaml v2's float pattern `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`.
    private static func isDecimalFloat(_ text: String) -> Bool {
        var bytes = Array(text.utf8)[...]
        func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
        func digitRun() -> Int {
            var count = 0
            while let byte = bytes.first, isDigit(byte) {
                bytes = bytes.dropFirst()
                count += 1
            }
            return count
        }
        if let sign = bytes.first, sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") { bytes = bytes.dropFirst() }
        if bytes.first == UInt8(ascii: ".") {
            bytes = bytes.dropFirst()
            guard digitRun() > 0 else { return false }
        } else {
            guard digitRun() > 0 else { return false }
            if bytes.first == UInt8(ascii: ".") {
                bytes = bytes.dropFirst()
                _ = digitRun()
            }
        }
        if let marker = bytes.first, marker == UInt8(ascii: "e") || marker == UInt8(ascii: "E") {
            bytes = bytes.dropFirst()
            if let sign = bytes.first, sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") {
                bytes = bytes.dropFirst()
            }
            guard digitRun() > 0 else { return false }
        }
        return bytes.isEmpty
    }
}
