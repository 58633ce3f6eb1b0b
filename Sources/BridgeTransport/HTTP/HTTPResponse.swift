/// The status line and header fields of an HTTP response.
public struct HTTPResponseHead: Sendable, Hashable {
    /// The status code, for example `200`.
    public var status: Int
    /// The response header fields (of the final response, after any `100 Continue`).
    public var headers: HTTPHeaders
    /// Whether the request reused a kept-alive connection from the client's connection cache instead of opening
    /// a new one (libcurl's `CURLINFO_NUM_CONNECTS` was zero).
    public var connectionReused: Bool

    /// Creates a response head.
    public init(status: Int, headers: HTTPHeaders, connectionReused: Bool) {
        self.status = status
        self.headers = headers
        self.connectionReused = connectionReused
    }
}

/// A complete HTTP response returned by ``HTTPClient/execute(_:)``.
public struct HTTPResponse: Sendable, Hashable {
    /// The status line and header fields.
    public var head: HTTPResponseHead
    /// The response body, decoded from chunked transfer encoding.
    public var body: [UInt8]

    /// Creates a response.
    public init(head: HTTPResponseHead, body: [UInt8]) {
        self.head = head
        self.body = body
    }

    /// The status code.
    public var status: Int { self.head.status }
    /// The response header fields.
    public var headers: HTTPHeaders { self.head.headers }
    /// Whether a kept-alive connection was reused (see ``HTTPResponseHead/connectionReused``).
    public var connectionReused: Bool { self.head.connectionReused }
    /// The body decoded as UTF-8 (invalid sequences become U+FFFD).
    public var bodyText: String { String(decoding: self.body, as: UTF8.self) }
}

/// A response whose body arrives incrementally, returned by ``HTTPClient/stream(_:)``.
///
/// The ``body`` stream yields chunks as libcurl receives them (chunk boundaries follow the network, not the
/// server's chunked encoding) and finishes when the response ends, or throws a ``TransportError``. Cancelling the
/// task that iterates it, or dropping the stream, aborts the transfer and closes the connection. Chunks that
/// arrive faster than they are consumed are buffered in memory.
public struct HTTPStreamingResponse: Sendable {
    /// The status line and header fields, available before any body byte.
    public var head: HTTPResponseHead
    /// The body chunks.
    public var body: AsyncThrowingStream<[UInt8], any Error>

    /// Creates a streaming response (for example as a test double of ``HTTPClient/stream(_:)``).
    public init(head: HTTPResponseHead, body: AsyncThrowingStream<[UInt8], any Error>) {
        self.head = head
        self.body = body
    }

    /// The status code.
    public var status: Int { self.head.status }
    /// The response header fields.
    public var headers: HTTPHeaders { self.head.headers }
}
