/// An HTTP/1.1 request executed by ``HTTPClient``.
public struct HTTPRequest: Sendable, Hashable {
    /// The method.
    public var method: HTTPMethod
    /// The absolute `http` or `https` URL, including the query.
    public var url: String
    /// Request header fields. `Host`, `Content-Length` and `Accept-Encoding` are set by the client unless given.
    public var headers: HTTPHeaders
    /// The request body, sent with a `Content-Length`; `nil` sends none.
    public var body: [UInt8]?
    /// The deadline for the whole exchange (connect, send, receive the complete response).
    ///
    /// `nil` applies ``HTTPClient/Configuration/requestTimeout`` for ``HTTPClient/execute(_:)`` and no deadline at
    /// all for ``HTTPClient/stream(_:)``, whose watch responses are meant to stay open.
    public var timeout: Duration?

    /// Creates a request.
    public init(
        method: HTTPMethod = .get,
        url: String,
        headers: HTTPHeaders = [:],
        body: [UInt8]? = nil,
        timeout: Duration? = nil
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
    }
}
