import BridgeKernel

/// The 422 `Status` body kube-apiserver returns for an invalid object (apimachinery `errors.NewInvalid`).
public enum InvalidStatus {
    /// `Kind.group "name" is invalid: <error>` for one error, `... is invalid: [e1, e2]` for several; repeated
    /// messages are listed once (the causes keep every error).
    public static func message(group: String, kind: String, name: String, errors: [FieldError]) -> String {
        let qualifiedKind = group.isEmpty ? kind : kind + "." + group
        var head = qualifiedKind + " " + GoFormatting.quote(name) + " is invalid"
        var seen = Set<String>()
        let distinct = errors.map(\.message).filter { seen.insert($0).inserted }
        switch distinct.count {
        case 0: return head
        case 1: head += ": " + distinct[0]
        default: head += ": [" + distinct.joined(separator: ", ") + "]"
        }
        return head
    }

    /// The full body: `{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":...,
    /// "reason":"Invalid","details":{"name":...,"group":...,"kind":...,"causes":[...]},"code":422}`.
    ///
    /// Empty strings are omitted as Go's `omitempty` does (e.g. `details.name` for a nameless object).
    public static func body(group: String, kind: String, name: String, errors: [FieldError]) -> JSONValue {
        var details: [String: JSONValue] = [:]
        if !name.isEmpty { details["name"] = .string(name) }
        if !group.isEmpty { details["group"] = .string(group) }
        if !kind.isEmpty { details["kind"] = .string(kind) }
        let causes: [JSONValue] = errors.map { error in
            var cause: [String: JSONValue] = ["reason": .string(error.reason.rawValue)]
            let body = error.body
            if !body.isEmpty { cause["message"] = .string(body) }
            if !error.field.isEmpty { cause["field"] = .string(error.field) }
            return .object(cause)
        }
        if !causes.isEmpty { details["causes"] = .array(causes) }
        return [
            "kind": "Status",
            "apiVersion": "v1",
            "metadata": [:],
            "status": "Failure",
            "message": .string(message(group: group, kind: kind, name: name, errors: errors)),
            "reason": "Invalid",
            "details": .object(details),
            "code": 422,
        ]
    }
}
