/// A failed Service Center call, described for an operator.
public struct ServiceCenterError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What failed.
    public enum Code: String, Hashable, Sendable {
        /// No configured address answered.
        case unreachable
        /// The server answered with an error status.
        case rejected
        /// Login failed or the token was refused.
        case unauthorized
        /// The answer could not be read.
        case malformedResponse
    }

    /// What failed.
    public var code: Code
    /// The operation, e.g. `list services`.
    public var operation: String
    /// The URL (or the addresses tried).
    public var url: String
    /// HTTP status, when there was an answer.
    public var status: Int?
    /// The server's message or the transport failure.
    public var detail: String

    /// Creates an error.
    public init(code: Code, operation: String, url: String, status: Int? = nil, detail: String) {
        self.code = code
        self.operation = operation
        self.url = url
        self.status = status
        self.detail = detail
    }

    public var description: String {
        "Service Center \(operation) failed (\(code.rawValue)) at \(url)" + (status.map { ": HTTP \($0)" } ?? "")
            + ": \(detail)"
    }
}
