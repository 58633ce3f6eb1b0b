/// An open WebSocket connection created by ``WebSocketClient/connect(url:headers:tls:pingInterval:idleTimeout:)``.
///
/// ``messages`` yields every data message in order and then:
/// - finishes normally after a close handshake, whichever side started it (see ``peerCloseStatus``),
/// - throws ``TransportError`` with `connectionClosed` when the peer drops TCP without a close frame, `timedOut`
///   when the peer stays silent longer than the idle timeout, `protocolError` for oversized or invalid messages,
///   `shutdown` when the client shuts down.
///
/// Cancelling the task that iterates ``messages`` closes the connection (code 1001), as does releasing both the
/// connection and every copy of ``messages``.
///
/// Messages that arrive faster than they are consumed are buffered in memory (each one is bounded by
/// ``WebSocketClient/Configuration/maxMessageSize``).
public final class WebSocketConnection: Sendable {
    /// The received data messages.
    public let messages: AsyncThrowingStream<WebSocketMessage, any Error>
    private let state: WebSocketConnectionState
    private let loop: LWSEventLoop

    init(
        state: WebSocketConnectionState, loop: LWSEventLoop, messages: AsyncThrowingStream<WebSocketMessage, any Error>
    ) {
        self.state = state
        self.loop = loop
        self.messages = messages
    }

    /// The close frame with which the peer started the closing handshake; `nil` while open, when the client
    /// started the handshake, or when the connection ended without one.
    public var peerCloseStatus: WebSocketCloseStatus? {
        self.state.peerCloseStatus.withLock { $0 }
    }

    /// Sends a text message; returns once libwebsockets has accepted it for the socket.
    ///
    /// - Throws: ``TransportError`` (`connectionClosed`, `shutdown`) when the connection is no longer open.
    public func send(text: String) async throws {
        try await self.send(.text(text))
    }

    /// Sends a binary message; returns once libwebsockets has accepted it for the socket.
    public func send(binary: [UInt8]) async throws {
        try await self.send(.binary(binary))
    }

    private func send(_ message: WebSocketMessage) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let outgoing = WebSocketConnectionState.OutgoingMessage(message: message, continuation: continuation)
            if !self.loop.enqueue(.send(self.state, outgoing)) {
                continuation.resume(throwing: self.state.error(.shutdown, "the WebSocket client was shut down"))
            }
        }
    }

    /// Starts the close handshake and waits until the connection is closed (the peer answered the close frame,
    /// or libwebsockets gave up waiting after a few seconds). ``messages`` then finishes normally.
    ///
    /// - Parameters:
    ///   - code: The close code to send.
    ///   - reason: A short reason (truncated to 123 bytes).
    public func close(code: WebSocketCloseCode = .normalClosure, reason: String = "") async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            if !self.loop.enqueue(.close(self.state, code, reason, continuation)) {
                continuation.resume()
            }
        }
    }
}
