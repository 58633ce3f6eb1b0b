import CLibWebSockets
import Synchronization

/// Everything the libwebsockets callbacks of one connection read and write.
///
/// Threading: built by ``WebSocketClient/connect(url:headers:tls:pingInterval:idleTimeout:)`` on the caller's
/// thread and handed to the ``LWSEventLoop`` through its lock-protected inbox. After that the mutable properties
/// are touched only on the loop thread (commands and callbacks both run there). The only cross-thread members are
/// the atomic abort flag and the mutex-protected ``peerCloseStatus``. Hence `@unchecked Sendable`.
///
/// Lifetime: the loop retains the object through `Unmanaged` when it passes it to libwebsockets as the wsi's user
/// pointer, and releases it on `LWS_CALLBACK_WSI_DESTROY` (the last callback of a wsi), so the pointer outlives
/// every callback that may carry it.
final class WebSocketConnectionState: @unchecked Sendable {
    /// What the caller asked for.
    struct Options: Sendable {
        var url: WebSocketURL
        var originalURL: String
        var headers: [(String, String)]
        var tls: TLSConfiguration
        var pingInterval: Duration?
        var idleTimeout: Duration?
        var maxMessageSize: Int
        var connectTimeout: Duration
    }

    enum Phase {
        /// Waiting in the inbox.
        case pending
        /// TCP/TLS connect and HTTP upgrade in progress.
        case connecting
        /// Upgraded; messages flow.
        case open
        /// A close frame has been queued or sent; waiting for libwebsockets to finish.
        case closing
        /// The wsi is gone (or never came to be); the message stream is finished.
        case closed
    }

    struct OutgoingMessage {
        var message: WebSocketMessage
        var continuation: CheckedContinuation<Void, any Error>
    }

    let options: Options
    /// The ``WebSocketClient`` that opened the connection (its shutdown ends the connection).
    let owner: WebSocketClientLifecycle
    let messages: AsyncThrowingStream<WebSocketMessage, any Error>.Continuation
    /// The close frame received from the peer, readable from any thread.
    let peerCloseStatus = Mutex<WebSocketCloseStatus?>(nil)
    private let abortRequested = Atomic<Bool>(false)

    // MARK: Loop-thread state

    var phase = Phase.pending
    var connectContinuation: CheckedContinuation<Void, any Error>?
    var wsi: OpaquePointer?
    /// The reference handed to libwebsockets as the wsi user pointer.
    var lwsReference: Unmanaged<WebSocketConnectionState>?
    /// The HTTP status of the upgrade response, recorded before libwebsockets judges it.
    var upgradeStatus = 0
    var receiveBuffer: [UInt8] = []
    var receivingBinary = false
    var outgoing: [OutgoingMessage] = []
    var pingPending = false
    var pendingClose: (code: WebSocketCloseCode, reason: String)?
    var closeInitiatedLocally = false
    var peerSentClose = false
    /// The error the message stream finishes with when the wsi closes; `nil` for a clean close.
    var failure: TransportError?
    var closeWaiters: [CheckedContinuation<Void, Never>] = []
    var lastReceived = ContinuousClock.now
    var nextPing = ContinuousClock.now

    var connectDeadline = ContinuousClock.now

    init(
        options: Options,
        owner: WebSocketClientLifecycle,
        messages: AsyncThrowingStream<WebSocketMessage, any Error>.Continuation
    ) {
        self.options = options
        self.owner = owner
        self.messages = messages
    }

    /// The pointer passed to libwebsockets as `userdata`.
    var opaquePointer: UnsafeMutableRawPointer {
        Unmanaged.passUnretained(self).toOpaque()
    }

    /// Marks the connection attempt as abandoned; returns `false` if it already was.
    func requestAbort() -> Bool {
        !self.abortRequested.exchange(true, ordering: .acquiringAndReleasing)
    }

    var isAbortRequested: Bool {
        self.abortRequested.load(ordering: .acquiring)
    }

    func error(_ code: TransportError.Code, _ detail: String, httpStatus: Int? = nil) -> TransportError {
        TransportError(
            code: code, operation: "WebSocket", url: self.options.originalURL, detail: detail, httpStatus: httpStatus)
    }

    // MARK: Termination (loop thread)

    /// Ends the connection from Swift's point of view: resolves the connect continuation, finishes the message
    /// stream, fails queued sends and wakes `close()` callers. Idempotent.
    func finalize(defaultError: TransportError) {
        guard self.phase != .closed else { return }
        let wasOpen = self.phase == .open || self.phase == .closing
        self.phase = .closed
        let cleanClose = wasOpen && self.failure == nil && (self.peerSentClose || self.closeInitiatedLocally)
        let error = self.failure ?? defaultError

        if let connect = self.connectContinuation {
            self.connectContinuation = nil
            connect.resume(throwing: error)
        }
        if cleanClose {
            self.messages.finish()
        } else {
            self.messages.finish(throwing: error)
        }
        let sendError = cleanClose ? self.error(.connectionClosed, "the WebSocket connection is closed") : error
        for pending in self.outgoing {
            pending.continuation.resume(throwing: sendError)
        }
        self.outgoing = []
        for waiter in self.closeWaiters {
            waiter.resume()
        }
        self.closeWaiters = []
    }
}
