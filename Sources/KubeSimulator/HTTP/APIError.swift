import BridgeKernel

/// A failed request, answered the way kube-apiserver answers it: almost always a `Status` object, for a few
/// filters (unknown path, overload) plain text.
struct APIError: Error, Sendable {
    /// What the response body is.
    enum Body: Sendable {
        /// A `metav1.Status` object.
        case status(JSONValue)
        /// A plain-text body (`404 page not found\n`, `Too many requests, please try again later.\n`).
        case text(String)
    }

    /// The HTTP status code.
    var code: Int
    /// The body.
    var body: Body
    /// Extra response headers (`Retry-After`).
    var headers: [(String, String)] = []

    /// The `Status` message, or the text body.
    var message: String {
        switch body {
        case .status(let status): return status["message"]?.stringValue ?? ""
        case .text(let text): return text
        }
    }

    /// A `Failure` status with the given parts; empty parts are omitted as Go's `omitempty` does.
    static func status(
        code: Int, reason: String, message: String, details: JSONValue? = nil
    ) -> APIError {
        var members: [String: JSONValue] = [
            "kind": "Status", "apiVersion": "v1", "metadata": [:], "status": "Failure", "code": .int(Int64(code)),
        ]
        if !message.isEmpty { members["message"] = .string(message) }
        if !reason.isEmpty { members["reason"] = .string(reason) }
        if let details { members["details"] = details }
        return APIError(code: code, body: .status(.object(members)))
    }

    /// `details` naming an object: `{"name":…,"group":…,"kind":<plural>}`.
    static func details(_ resource: ServedResource, name: String, uid: String? = nil) -> JSONValue {
        var details: [String: JSONValue] = [:]
        if !name.isEmpty { details["name"] = .string(name) }
        if !resource.group.isEmpty { details["group"] = .string(resource.group) }
        details["kind"] = .string(resource.plural)
        if let uid, !uid.isEmpty { details["uid"] = .string(uid) }
        return .object(details)
    }

    /// 404 `<resource> "<name>" not found`.
    static func notFound(_ resource: ServedResource, name: String) -> APIError {
        status(
            code: 404, reason: "NotFound", message: "\(resource.qualifiedResource) \(KubeJSON.quote(name)) not found",
            details: details(resource, name: name))
    }

    /// 404 for a namespace that does not exist (NamespaceLifecycle admission).
    static func namespaceNotFound(_ namespace: String) -> APIError {
        status(
            code: 404, reason: "NotFound", message: "namespaces \(KubeJSON.quote(namespace)) not found",
            details: ["name": .string(namespace), "kind": "namespaces"])
    }

    /// 409 AlreadyExists.
    static func alreadyExists(_ resource: ServedResource, name: String) -> APIError {
        status(
            code: 409, reason: "AlreadyExists",
            message: "\(resource.qualifiedResource) \(KubeJSON.quote(name)) already exists",
            details: details(resource, name: name))
    }

    /// 409 Conflict for a stale `resourceVersion`.
    static func conflict(_ resource: ServedResource, name: String) -> APIError {
        conflict(
            resource, name: name,
            reason: "the object has been modified; please apply your changes to the latest version and try again")
    }

    /// 409 Conflict with an explanation.
    static func conflict(_ resource: ServedResource, name: String, reason: String) -> APIError {
        status(
            code: 409, reason: "Conflict",
            message:
                "Operation cannot be fulfilled on \(resource.qualifiedResource) \(KubeJSON.quote(name)): \(reason)",
            details: details(resource, name: name))
    }

    /// 400 BadRequest.
    static func badRequest(_ message: String) -> APIError {
        status(code: 400, reason: "BadRequest", message: message)
    }

    /// 422 Invalid with field causes (`errors.NewInvalid`), using `kind` as the qualified kind in the message.
    static func invalid(group: String, kind: String, name: String, errors: [InvalidCause]) -> APIError {
        let qualified = group.isEmpty ? kind : kind + "." + group
        var seen = Set<String>()
        let messages = errors.map(\.fullMessage).filter { seen.insert($0).inserted }
        var message = "\(qualified) \(KubeJSON.quote(name)) is invalid"
        if messages.count == 1 {
            message += ": " + messages[0]
        } else if messages.count > 1 {
            message += ": [" + messages.joined(separator: ", ") + "]"
        }
        var details: [String: JSONValue] = [:]
        if !name.isEmpty { details["name"] = .string(name) }
        if !group.isEmpty { details["group"] = .string(group) }
        if !kind.isEmpty { details["kind"] = .string(kind) }
        details["causes"] = .array(
            errors.map { error in
                var cause: [String: JSONValue] = ["reason": .string(error.reason), "message": .string(error.message)]
                if !error.field.isEmpty { cause["field"] = .string(error.field) }
                return .object(cause)
            })
        return status(code: 422, reason: "Invalid", message: message, details: .object(details))
    }

    /// 405 MethodNotAllowed.
    static let methodNotAllowed = status(
        code: 405, reason: "MethodNotAllowed",
        message: "the server does not allow this method on the requested resource",
        details: [:])

    /// 415 UnsupportedMediaType for a request body.
    static func unsupportedMediaType(_ contentType: String, accepted: [String]) -> APIError {
        status(
            code: 415, reason: "UnsupportedMediaType",
            message: "the body of the request was in an unknown format - accepted media types include: "
                + accepted.joined(separator: ", "),
            details: [:])
    }

    /// 406 NotAcceptable.
    static func notAcceptable(_ accepted: [String]) -> APIError {
        status(
            code: 406, reason: "NotAcceptable",
            message: "only the following media types are accepted: " + accepted.joined(separator: ", "))
    }

    /// 500 InternalError.
    static func internalError(_ detail: String) -> APIError {
        status(
            code: 500, reason: "InternalError", message: "Internal error occurred: \(detail)",
            details: ["causes": [["message": .string(detail)]]])
    }

    /// 410 Expired.
    static func expired(_ message: String) -> APIError {
        status(code: 410, reason: "Expired", message: message)
    }

    /// 401 Unauthorized.
    static let unauthorized = status(code: 401, reason: "Unauthorized", message: "Unauthorized")

    /// The plain-text 404 of Go's `http.NotFound` for paths no handler serves.
    static let pathNotFound = APIError(code: 404, body: .text("404 page not found\n"))

    /// The plain-text 429 of the priority-and-fairness filter.
    static func tooManyRequests(retryAfter: Int) -> APIError {
        APIError(
            code: 429, body: .text("Too many requests, please try again later.\n"),
            headers: [("Retry-After", String(retryAfter))])
    }
}

/// One cause of a 422 Invalid (`field.Error`).
struct InvalidCause: Sendable, Hashable {
    /// `FieldValueInvalid`, `FieldValueRequired`, ...
    var reason: String
    /// The field path (`spec.leaseDurationSeconds`).
    var field: String
    /// `ErrorBody()`: `Invalid value: 0: must be greater than 0`.
    var message: String

    /// `Error()`: `<field>: <body>`.
    var fullMessage: String { field.isEmpty ? message : field + ": " + message }

    /// `field.Invalid` with an already formatted value.
    static func invalid(_ field: String, value: String, _ detail: String) -> InvalidCause {
        InvalidCause(reason: "FieldValueInvalid", field: field, message: "Invalid value: \(value): \(detail)")
    }

    /// `field.Required`.
    static func required(_ field: String, _ detail: String = "") -> InvalidCause {
        InvalidCause(
            reason: "FieldValueRequired", field: field,
            message: detail.isEmpty ? "Required value" : "Required value: \(detail)")
    }

    /// `field.NotSupported`: `Unsupported value: "x": supported values: "a", "b"`.
    static func notSupported(_ field: String, value: String, supported: [String]) -> InvalidCause {
        InvalidCause(
            reason: "FieldValueNotSupported", field: field,
            message: "Unsupported value: \(KubeJSON.quote(value)): supported values: "
                + supported.map(KubeJSON.quote).joined(separator: ", "))
    }

    /// `field.TooLong` for byte sizes: `Too long: may not be more than N bytes`.
    static func tooLong(_ field: String, maximumBytes: Int) -> InvalidCause {
        InvalidCause(
            reason: "FieldValueTooLong", field: field, message: "Too long: may not be more than \(maximumBytes) bytes")
    }

    /// `field.Forbidden`.
    static func forbidden(_ field: String, _ detail: String) -> InvalidCause {
        InvalidCause(reason: "FieldValueForbidden", field: field, message: "Forbidden: \(detail)")
    }
}
