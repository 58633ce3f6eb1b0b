/// A complete WebSocket data message (fragments already reassembled).
public enum WebSocketMessage: Sendable, Hashable {
    /// A text message, validated as UTF-8.
    case text(String)
    /// A binary message.
    case binary([UInt8])
}

/// A WebSocket close status code (RFC 6455, section 7.4).
public struct WebSocketCloseCode: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    /// The numeric code sent in the close frame.
    public let rawValue: UInt16

    /// Creates a code; application codes live in `4000 ... 4999`.
    public init(rawValue: UInt16) {
        self.rawValue = rawValue
    }

    /// 1000: the purpose of the connection has been fulfilled.
    public static let normalClosure = WebSocketCloseCode(rawValue: 1000)
    /// 1001: the endpoint is going away (shutdown, or the consumer stopped listening).
    public static let goingAway = WebSocketCloseCode(rawValue: 1001)
    /// 1002: a protocol error.
    public static let protocolError = WebSocketCloseCode(rawValue: 1002)
    /// 1007: a text message was not valid UTF-8.
    public static let invalidPayload = WebSocketCloseCode(rawValue: 1007)
    /// 1008: a message violated the endpoint's policy.
    public static let policyViolation = WebSocketCloseCode(rawValue: 1008)
    /// 1009: a message was too big to process.
    public static let messageTooBig = WebSocketCloseCode(rawValue: 1009)
    /// 1011: the server hit an unexpected condition.
    public static let internalError = WebSocketCloseCode(rawValue: 1011)

    /// The numeric code.
    public var description: String { String(self.rawValue) }
}

/// The close frame received from the peer.
public struct WebSocketCloseStatus: Sendable, Hashable, CustomStringConvertible {
    /// The peer's close code; `nil` when its close frame carried no code.
    public var code: WebSocketCloseCode?
    /// The peer's reason text (may be empty).
    public var reason: String

    /// Creates a close status.
    public init(code: WebSocketCloseCode?, reason: String) {
        self.code = code
        self.reason = reason
    }

    /// The code followed by the reason, for example `4000 server says bye`.
    public var description: String {
        let code = self.code.map(\.description) ?? "no code"
        return self.reason.isEmpty ? code : "\(code) \(self.reason)"
    }
}
