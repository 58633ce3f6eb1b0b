import BridgeKernel
import Foundation

/// RFC 6902 JSON patch (`add`, `remove`, `replace`, `move`, `copy`, `test`) with evanphx/json-patch's error
/// texts where the apiserver passes them through.
enum JSONPatch {
    /// A patch that cannot be decoded (400) or applied (422).
    struct Failure: Error {
        var isDecodingError: Bool
        var message: String
    }

    static func apply(_ patch: JSONValue, to target: JSONValue) throws(Failure) -> JSONValue {
        guard let operations = patch.arrayValue else {
            throw Failure(
                isDecodingError: true, message: "json: cannot unmarshal object into Go value of type jsonpatch.Patch")
        }
        var document = target
        for operation in operations {
            guard let op = operation["op"]?.stringValue else {
                throw Failure(isDecodingError: false, message: "Unexpected kind: unknown")
            }
            guard let path = operation["path"]?.stringValue else {
                throw Failure(isDecodingError: false, message: "operation missing path")
            }
            let pointer = try parsePointer(path)
            switch op {
            case "add":
                guard let value = operation["value"] else { throw missingValue(op) }
                document = try add(value, at: pointer, in: document, path: path)
            case "remove":
                document = try remove(at: pointer, in: document, path: path).document
            case "replace":
                guard let value = operation["value"] else { throw missingValue(op) }
                guard get(pointer, in: document) != nil else {
                    throw Failure(
                        isDecodingError: false,
                        message: "replace operation does not apply: doc is missing key: \(path): missing value")
                }
                document = try remove(at: pointer, in: document, path: path).document
                document = try add(value, at: pointer, in: document, path: path)
            case "move", "copy":
                guard let from = operation["from"]?.stringValue else {
                    throw Failure(isDecodingError: false, message: "\(op) operation missing from")
                }
                let fromPointer = try parsePointer(from)
                guard let value = get(fromPointer, in: document) else {
                    throw Failure(
                        isDecodingError: false,
                        message: "\(op) operation does not apply: doc is missing from path: \(from): missing value")
                }
                if op == "move" { document = try remove(at: fromPointer, in: document, path: from).document }
                document = try add(value, at: pointer, in: document, path: path)
            case "test":
                let expected = operation["value"] ?? .null
                guard get(pointer, in: document) == expected else {
                    throw Failure(isDecodingError: false, message: "testing value \(path) failed: test failed")
                }
            default:
                throw Failure(isDecodingError: false, message: "Unexpected kind: \(op)")
            }
        }
        return document
    }

    private static func missingValue(_ op: String) -> Failure {
        Failure(isDecodingError: false, message: "\(op) operation missing value")
    }

    private static func parsePointer(_ path: String) throws(Failure) -> [String] {
        if path.isEmpty { return [] }
        guard path.hasPrefix("/") else {
            throw Failure(isDecodingError: false, message: "JSON pointer must be empty or start with a \"/")
        }
        return path.dropFirst().split(separator: "/", omittingEmptySubsequences: false).map {
            $0.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
        }
    }

    private static func get(_ pointer: [String], in document: JSONValue) -> JSONValue? {
        var current = document
        for token in pointer {
            switch current {
            case .object(let members):
                guard let next = members[token] else { return nil }
                current = next
            case .array(let elements):
                guard let index = Int(token), elements.indices.contains(index) else { return nil }
                current = elements[index]
            default:
                return nil
            }
        }
        return current
    }

    private static func add(_ value: JSONValue, at pointer: [String], in document: JSONValue, path: String)
        throws(Failure) -> JSONValue
    {
        guard let token = pointer.first else { return value }
        let rest = Array(pointer.dropFirst())
        switch document {
        case .object(var members):
            if rest.isEmpty {
                members[token] = value
            } else {
                guard let child = members[token] else {
                    throw Failure(
                        isDecodingError: false,
                        message:
                            "add operation does not apply: doc is missing path: \(KubeJSON.quote(path)): missing value")
                }
                members[token] = try add(value, at: rest, in: child, path: path)
            }
            return .object(members)
        case .array(var elements):
            if rest.isEmpty {
                if token == "-" {
                    elements.append(value)
                } else if let index = Int(token), index >= 0, index <= elements.count {
                    elements.insert(value, at: index)
                } else {
                    throw Failure(
                        isDecodingError: false,
                        message:
                            "add operation does not apply: doc is missing path: \(KubeJSON.quote(path)): missing value")
                }
            } else {
                guard let index = Int(token), elements.indices.contains(index) else {
                    throw Failure(
                        isDecodingError: false,
                        message:
                            "add operation does not apply: doc is missing path: \(KubeJSON.quote(path)): missing value")
                }
                elements[index] = try add(value, at: rest, in: elements[index], path: path)
            }
            return .array(elements)
        default:
            throw Failure(
                isDecodingError: false,
                message: "add operation does not apply: doc is missing path: \(KubeJSON.quote(path)): missing value")
        }
    }

    private static func remove(at pointer: [String], in document: JSONValue, path: String)
        throws(Failure) -> (document: JSONValue, removed: JSONValue)
    {
        guard let token = pointer.first else {
            throw Failure(
                isDecodingError: false,
                message: "remove operation does not apply: doc is missing path: \(KubeJSON.quote(path)): missing value")
        }
        let rest = Array(pointer.dropFirst())
        let missing = Failure(
            isDecodingError: false,
            message: "remove operation does not apply: doc is missing path: \(KubeJSON.quote(path)): missing value")
        switch document {
        case .object(var members):
            guard let child = members[token] else { throw missing }
            if rest.isEmpty {
                members[token] = nil
                return (.object(members), child)
            }
            let (updated, removed) = try remove(at: rest, in: child, path: path)
            members[token] = updated
            return (.object(members), removed)
        case .array(var elements):
            guard let index = Int(token), elements.indices.contains(index) else { throw missing }
            if rest.isEmpty {
                let removed = elements.remove(at: index)
                return (.array(elements), removed)
            }
            let (updated, removed) = try remove(at: rest, in: elements[index], path: path)
            elements[index] = updated
            return (.array(elements), removed)
        default:
            throw missing
        }
    }
}
