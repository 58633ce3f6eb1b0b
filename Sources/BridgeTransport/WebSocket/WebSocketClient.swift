import Synchronization

/// A WebSocket client built on libwebsockets (used for the Service Center watch socket).
///
/// ```swift
/// let client = try WebSocketClient()
/// let connection = try await client.connect(
///     url: "wss://sc.example:30100/v4/default/registry/microservices/\(id)/watcher",
///     headers: [("Authorization", "Bearer \(token)"), ("X-Domain-Name", "default")],
///     tls: TLSConfiguration(trustRoots: .file(path: "/etc/sc/ca.pem")))
/// for try await message in connection.messages { ... }
/// ```
///
/// ## Threading model
/// One libwebsockets context, serviced by a dedicated thread (see `LWSEventLoop`), serves every client in the
/// process; it starts with the first client and stops when the last one shuts down (libwebsockets 4.1 cannot run
/// several TLS contexts side by side safely). Connect, send and close requests are commands put into a
/// lock-protected queue, followed by `lws_cancel_service` to wake the thread; libwebsockets itself is only ever
/// called on that thread. Callbacks (a global `@convention(c)` function)
/// find their connection through the wsi user pointer, an `Unmanaged` reference retained while libwebsockets holds
/// it. Received messages flow out through each connection's `AsyncThrowingStream`.
///
/// Call ``shutdown()`` when done: the client's open connections end with ``TransportError/Code/shutdown``; when
/// it was the last client, the context is destroyed and the thread joined.
public final class WebSocketClient: Sendable {
    /// Settings shared by every connection of a client.
    public struct Configuration: Sendable {
        /// The deadline for the TCP connect, TLS handshake and HTTP upgrade.
        public var connectTimeout: Duration
        /// The largest message accepted; a bigger one closes the connection with code 1009.
        public var maxMessageSize: Int

        /// Creates a configuration.
        public init(connectTimeout: Duration = .seconds(10), maxMessageSize: Int = 16 * 1024 * 1024) {
            self.connectTimeout = connectTimeout
            self.maxMessageSize = maxMessageSize
        }
    }

    /// The configuration the client was created with.
    public let configuration: Configuration
    private let loop: LWSEventLoop
    private let lifecycle = WebSocketClientLifecycle()

    /// Creates a client, starting the shared libwebsockets context if no other client is running.
    ///
    /// - Throws: ``TransportError`` if libwebsockets cannot create a context.
    public init(configuration: Configuration = Configuration()) throws {
        self.configuration = configuration
        self.loop = try LWSEventLoop.acquire()
    }

    deinit {
        if self.lifecycle.markShutDown() {
            let loop = self.loop
            _ = loop.enqueue(.closeAllDetached(owner: self.lifecycle))
            LWSEventLoop.releaseDetached(loop)
        }
    }

    /// Opens a WebSocket connection.
    ///
    /// - Parameters:
    ///   - url: A `ws://` or `wss://` URL.
    ///   - headers: Extra header fields of the upgrade request, such as `Authorization: Bearer …` or
    ///     `X-Domain-Name`.
    ///   - tls: Trust roots, client certificate and the insecure switch for `wss://`.
    ///   - pingInterval: How often to send a ping; `nil` sends none.
    ///   - idleTimeout: How long the peer may stay silent (no data, pong or ping) before the connection is
    ///     considered dead and the message stream fails with ``TransportError/Code/timedOut``; `nil` waits
    ///     forever. Choose it larger than `pingInterval` plus the expected round trip.
    /// - Returns: The open connection.
    /// - Throws: ``TransportError``: `upgradeRejected` with ``TransportError/httpStatus`` when the server answers
    ///   the upgrade with another status, `tls`, `connectFailed`, `timedOut`, `cancelled`, `invalidRequest`.
    public func connect(
        url: String,
        headers: [(String, String)] = [],
        tls: TLSConfiguration = TLSConfiguration(),
        pingInterval: Duration? = .seconds(30),
        idleTimeout: Duration? = .seconds(90)
    ) async throws -> WebSocketConnection {
        guard !self.lifecycle.isShutDown else {
            throw TransportError(
                code: .shutdown, operation: "WebSocket", url: url, detail: "the WebSocket client was shut down")
        }
        guard let parsed = WebSocketURL(url) else {
            throw TransportError(
                code: .invalidRequest, operation: "WebSocket", url: url,
                detail: "expected an absolute ws:// or wss:// URL without user information")
        }
        for (name, value) in headers
        where !CurlTransfer.isValidHeaderName(name) || !CurlTransfer.isValidHeaderValue(value) {
            throw TransportError(
                code: .invalidRequest, operation: "WebSocket", url: url,
                detail: "header \(name.debugDescription) contains a forbidden character")
        }
        let (messages, continuation) = AsyncThrowingStream.makeStream(
            of: WebSocketMessage.self, throwing: (any Error).self)
        let options = WebSocketConnectionState.Options(
            url: parsed, originalURL: url, headers: headers, tls: tls, pingInterval: pingInterval,
            idleTimeout: idleTimeout, maxMessageSize: self.configuration.maxMessageSize,
            connectTimeout: self.configuration.connectTimeout)
        let state = WebSocketConnectionState(options: options, owner: self.lifecycle, messages: continuation)
        let loop = self.loop
        continuation.onTermination = { termination in
            // The consumer stopped listening (task cancelled or stream dropped): close the socket.
            if case .cancelled = termination {
                _ = loop.enqueue(.close(state, .goingAway, "", nil))
            }
        }

        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (connect: CheckedContinuation<Void, any Error>) in
                state.connectContinuation = connect
                if !loop.enqueue(.connect(state)) {
                    state.connectContinuation = nil
                    connect.resume(throwing: state.error(.shutdown, "the WebSocket client was shut down"))
                }
            }
        } onCancel: {
            if state.requestAbort() {
                _ = loop.enqueue(.abortConnect(state))
            }
        }
        return WebSocketConnection(state: state, loop: loop, messages: messages)
    }

    /// Ends this client's connections with ``TransportError/Code/shutdown``; if no other client is running,
    /// destroys the libwebsockets context and joins its thread. Later connects fail with the same error. Safe to
    /// call more than once.
    public func shutdown() async {
        guard self.lifecycle.markShutDown() else { return }
        let loop = self.loop
        let owner = self.lifecycle
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            if !loop.enqueue(.closeAll(owner: owner, continuation)) {
                continuation.resume()
            }
        }
        await LWSEventLoop.release(loop)
    }
}

/// Whether a ``WebSocketClient`` has been shut down; shared with its connections so the event loop can refuse a
/// connect that raced with the shutdown and can find the client's connections.
final class WebSocketClientLifecycle: Sendable {
    private let shutDown = Atomic<Bool>(false)

    var isShutDown: Bool { self.shutDown.load(ordering: .acquiring) }

    /// Returns `true` for the first call only.
    func markShutDown() -> Bool {
        !self.shutDown.exchange(true, ordering: .acquiringAndReleasing)
    }
}
