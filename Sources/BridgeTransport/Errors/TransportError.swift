/// A failure of an HTTP request or a WebSocket connection, with the context an operator needs to act on it.
///
/// The ``url`` never contains secrets: user information and the values of token-like query parameters are
/// replaced by `REDACTED` before the error is created (see ``RedactedURL``).
public struct TransportError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong, independent of the C library that reported it.
    public enum Code: String, Sendable, Hashable, CaseIterable {
        /// The TCP connection could not be established (refused, unreachable, name not resolved).
        case connectFailed
        /// A connect, request or WebSocket idle deadline passed.
        case timedOut
        /// The TLS handshake failed: untrusted or mismatching server certificate, rejected or unusable client
        /// certificate, unreadable CA or key material.
        case tls
        /// The caller cancelled the operation (task cancellation or an explicit close).
        case cancelled
        /// The peer closed the connection unexpectedly (mid-response, or a WebSocket without a close frame).
        case connectionClosed
        /// The peer violated HTTP or WebSocket framing, or sent data this client cannot accept.
        case protocolError
        /// The server answered a WebSocket upgrade with a status other than 101 (see ``TransportError/httpStatus``).
        case upgradeRejected
        /// The request could not be built: malformed URL, forbidden characters in a header, unsupported scheme.
        case invalidRequest
        /// The client was shut down before or while the operation ran.
        case shutdown
        /// Any other failure reported by the C library (see ``TransportError/detail``).
        case other
    }

    /// What went wrong.
    public var code: Code
    /// The operation: an HTTP method (`GET`) or `WebSocket`.
    public var operation: String
    /// The target URL, with secrets removed.
    public var url: String
    /// The C library's explanation (libcurl's error buffer, the libwebsockets reason), if any.
    public var detail: String
    /// The HTTP status of a rejected WebSocket upgrade.
    public var httpStatus: Int?
    /// The libcurl `CURLcode`, when libcurl reported the failure.
    public var curlCode: Int?

    /// Creates an error; `url` is redacted here, so callers may pass the original URL.
    public init(
        code: Code,
        operation: String,
        url: String,
        detail: String = "",
        httpStatus: Int? = nil,
        curlCode: Int? = nil
    ) {
        self.code = code
        self.operation = operation
        self.url = RedactedURL.redact(url)
        self.detail = detail
        self.httpStatus = httpStatus
        self.curlCode = curlCode
    }

    /// For example `GET https://10.0.0.1:6443/api/v1/pods?watch=1: connection failed (libcurl 7: Failed to
    /// connect to 10.0.0.1 port 6443 after 3 ms: Connection refused)`.
    public var description: String {
        var text = "\(self.operation) \(self.url): \(self.code.summary)"
        if let httpStatus {
            text += " (HTTP \(httpStatus))"
        }
        if !self.detail.isEmpty || self.curlCode != nil {
            let source = self.curlCode.map { "libcurl \($0)" }
            switch (source, self.detail.isEmpty) {
            case (let source?, false): text += " (\(source): \(self.detail))"
            case (let source?, true): text += " (\(source))"
            case (nil, _): text += " (\(self.detail))"
            }
        }
        return text
    }
}

extension TransportError.Code {
    /// A short human-readable phrase for the code.
    public var summary: String {
        switch self {
        case .connectFailed: "connection failed"
        case .timedOut: "timed out"
        case .tls: "TLS handshake failed"
        case .cancelled: "cancelled"
        case .connectionClosed: "connection closed by peer"
        case .protocolError: "protocol error"
        case .upgradeRejected: "WebSocket upgrade rejected"
        case .invalidRequest: "invalid request"
        case .shutdown: "client is shut down"
        case .other: "transfer failed"
        }
    }
}
