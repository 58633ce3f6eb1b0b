import BridgeKernel
import BridgeTransport

/// A failed Kubernetes API request: the HTTP status, the API's `Status` reason and message, and the request.
///
/// ``description`` reads like `PATCH /apis/networking.istio.io/v1/namespaces/x/serviceentries/a: 422 Invalid:
/// ServiceEntry.networking.istio.io "a" is invalid: …`.
public struct KubernetesAPIError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of failure.
    public enum Code: String, Sendable, Hashable {
        /// 400: the request was malformed (or an admission webhook denied it).
        case badRequest
        /// 401: the credentials were refused.
        case unauthorized
        /// 403: the identity lacks permission.
        case forbidden
        /// 404: the object (or namespace, or API) does not exist.
        case notFound
        /// 409: a conflict (stale resourceVersion, field-manager conflict, already exists).
        case conflict
        /// 410: a resourceVersion is too old (watch/list must start over).
        case gone
        /// 422: the object failed validation.
        case invalid
        /// 429: the server is overloaded or throttling.
        case throttled
        /// 5xx.
        case serverError
        /// Any other unexpected status.
        case unexpectedStatus
        /// No response: connection, TLS or timeout (see the message).
        case transport
        /// The response could not be decoded.
        case malformedResponse
    }

    /// The kind of failure.
    public var code: Code
    /// The HTTP method.
    public var method: String
    /// The request path (no query).
    public var path: String
    /// The HTTP status, when a response arrived.
    public var status: Int?
    /// The `Status` object's `reason` (`Invalid`, `Conflict`, ...), when given.
    public var reason: String
    /// The API's message (or the transport's explanation).
    public var message: String

    /// Creates an error.
    public init(_ code: Code, method: String, path: String, status: Int?, reason: String = "", message: String) {
        self.code = code
        self.method = method
        self.path = path
        self.status = status
        self.reason = reason
        self.message = message
    }

    /// An error for a non-2xx response, decoding the `Status` body when there is one.
    init(method: String, path: String, response: HTTPResponse) {
        let status = response.status
        var reason = ""
        var message = response.bodyText.trimmingCharacters(in: .whitespacesAndNewlines)
        if let body = try? JSONValue.parse(response.body), body["kind"]?.stringValue == "Status" {
            reason = body["reason"]?.stringValue ?? ""
            message = body["message"]?.stringValue ?? message
        }
        self.init(Self.code(for: status), method: method, path: path, status: status, reason: reason, message: message)
    }

    /// An error for a transport failure.
    init(method: String, path: String, transport: any Error) {
        self.init(.transport, method: method, path: path, status: nil, message: "\(transport)")
    }

    static func code(for status: Int) -> Code {
        switch status {
        case 400: .badRequest
        case 401: .unauthorized
        case 403: .forbidden
        case 404: .notFound
        case 409: .conflict
        case 410: .gone
        case 422: .invalid
        case 429: .throttled
        case 500...599: .serverError
        default: .unexpectedStatus
        }
    }

    public var description: String {
        let statusText = status.map { " \($0)" + (reason.isEmpty ? "" : " \(reason)") } ?? ""
        return "\(method) \(path):\(statusText) \(message)"
    }
}
