import BridgeKernel

/// One step of a field path, as structured-merge-diff models it.
enum PathElement: Hashable, Sendable {
    /// A member of an object (`f:spec`).
    case field(String)
    /// An item of a map-typed list, identified by its key fields as canonical JSON (`k:{"name":"http"}`).
    case key(String)
    /// An item of a set-typed list, identified by its value as JSON (`v:"a"`).
    case value(String)
    /// An item of a list by position (`i:0`).
    case index(Int)

    /// The `FieldsV1` member name.
    var fieldsV1Name: String {
        switch self {
        case .field(let name): return "f:" + name
        case .key(let json): return "k:" + json
        case .value(let json): return "v:" + json
        case .index(let position): return "i:\(position)"
        }
    }

    /// Parses a `FieldsV1` member name.
    init?(fieldsV1Name name: String) {
        let body = String(name.dropFirst(2))
        switch name.prefix(2) {
        case "f:": self = .field(body)
        case "k:": self = .key((try? JSONValue.parse(body))?.canonicalJSON ?? body)
        case "v:": self = .value((try? JSONValue.parse(body))?.canonicalJSON ?? body)
        case "i:":
            guard let position = Int(body) else { return nil }
            self = .index(position)
        default: return nil
        }
    }

    /// The element as structured-merge-diff prints paths: `.spec`, `[name="http"]`, `[="a"]`, `[0]`.
    var pathText: String {
        switch self {
        case .field(let name): return "." + name
        case .key(let json):
            guard case .object(let members)? = try? JSONValue.parse(json) else { return "[" + json + "]" }
            let parts = members.keys.sorted().map { $0 + "=" + members[$0]!.canonicalJSON }
            return "[" + parts.joined(separator: ",") + "]"
        case .value(let json): return "[=" + json + "]"
        case .index(let position): return "[\(position)]"
        }
    }
}

/// A path from the object root to a field.
typealias FieldPath = [PathElement]

extension Array where Element == PathElement {
    /// `.spec.ports[name="http"].number`.
    var pathText: String { map(\.pathText).joined() }

    /// Whether `self` is a strict prefix of `other`.
    func isStrictPrefix(of other: FieldPath) -> Bool {
        count < other.count && Array(other.prefix(count)) == self
    }
}
