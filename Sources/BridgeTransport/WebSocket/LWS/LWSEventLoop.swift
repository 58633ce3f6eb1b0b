import CLibWebSockets
import Logging
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The thread that services one libwebsockets context.
///
/// ## Threading model
/// - One dedicated POSIX thread per process runs `lws_service`. libwebsockets is not thread-safe, so
///   every lws call (creating vhosts, connecting, writing, closing) and every lws callback happens on this thread.
/// - Other threads enqueue commands (connect, send, close) into a mutex-protected inbox and call
///   `lws_cancel_service`, the one lws function that is safe from other threads; it makes `lws_service` return
///   so the loop drains the inbox. The wake-up is issued under the inbox lock so it never races with
///   `lws_context_destroy` at shutdown.
/// - The protocol callback is the global function `lwsProtocolCallback` (a C function pointer cannot capture
///   context). It finds this loop through `lws_context_user` and the connection through the wsi user pointer,
///   which it accepts only if the loop knows it (`liveConnections`), because libwebsockets also passes other
///   kinds of user pointers (OpenSSL objects) to the same callback.
/// - Results reach Swift through continuations and the per-connection `AsyncThrowingStream`.
/// - TLS settings live on libwebsockets vhosts, so the loop keeps one vhost per distinct ``TLSConfiguration``.
///
/// ## One loop per process
/// All ``WebSocketClient`` instances share one loop, reference-counted through ``acquire()`` and ``release(_:)``:
/// the loop starts with the first client and is torn down (context destroyed, thread joined) when the last client
/// shuts down. libwebsockets 4.1 stores its OpenSSL ex-data indexes in process globals and reassigns them whenever
/// a context is created, which breaks TLS handshakes in flight on any other context; a single context avoids that.
final class LWSEventLoop: @unchecked Sendable {
    private struct Registry {
        var loop: LWSEventLoop?
        var leases = 0
    }

    private static let registry = Mutex(Registry())

    /// Returns the process-wide loop, starting it if no client holds it.
    static func acquire() throws -> LWSEventLoop {
        try Self.registry.withLock { registry in
            if let loop = registry.loop {
                registry.leases += 1
                return loop
            }
            let loop = try LWSEventLoop()
            registry.loop = loop
            registry.leases = 1
            return loop
        }
    }

    /// Gives back a lease; the last one shuts the loop down. Returns the loop to shut down, if any.
    private static func releaseLease(_ loop: LWSEventLoop) -> LWSEventLoop? {
        Self.registry.withLock { registry in
            guard registry.loop === loop else { return nil }
            registry.leases -= 1
            guard registry.leases == 0 else { return nil }
            registry.loop = nil
            return loop
        }
    }

    /// Gives back a lease and, if it was the last, shuts the loop down and joins its thread.
    static func release(_ loop: LWSEventLoop) async {
        await Self.releaseLease(loop)?.shutdown()
    }

    /// Gives back a lease without waiting for a shutdown it may cause.
    static func releaseDetached(_ loop: LWSEventLoop) {
        Self.releaseLease(loop)?.shutdownDetached()
    }

    enum Command {
        case connect(WebSocketConnectionState)
        case abortConnect(WebSocketConnectionState)
        case send(WebSocketConnectionState, WebSocketConnectionState.OutgoingMessage)
        case close(WebSocketConnectionState, WebSocketCloseCode, String, CheckedContinuation<Void, Never>?)
        /// Ends every connection owned by one client with a `shutdown` error.
        case closeAll(owner: WebSocketClientLifecycle, CheckedContinuation<Void, Never>)
        /// ``closeAll(owner:_:)`` for a client that is being deallocated (nobody waits).
        case closeAllDetached(owner: WebSocketClientLifecycle)
    }

    private enum State {
        case running
        case shuttingDown
        case stopped
    }

    private struct Inbox {
        var commands: [Command] = []
        var state = State.running
        var stopWaiters: [CheckedContinuation<Void, Never>] = []
        var threadReleased = false
    }

    private let inbox = Mutex(Inbox())
    private let thread: Mutex<EventLoopThread?> = Mutex(nil)
    private var context: OpaquePointer?
    private let protocols: UnsafeMutablePointer<lws_protocols>
    private let protocolName: UnsafeMutablePointer<CChar>
    /// A retry/idle policy with validity checks disabled, so libwebsockets never pings or hangs up on its own
    /// (liveness is our timer's job). Each wsi keeps a pointer to it, hence the stable allocation.
    private let noValidityPolicy: UnsafeMutablePointer<lws_retry_bo_t>

    // MARK: Loop-thread state

    /// Vhosts by TLS settings (the insecure switch is per connection, so it is not part of the key).
    private var vhosts: [TLSConfiguration: OpaquePointer] = [:]
    /// Vhost names must outlive their vhosts; freed after the context is destroyed.
    private var vhostNames: [UnsafeMutablePointer<CChar>] = []
    /// User pointers handed to libwebsockets, each holding one retain (see ``WebSocketConnectionState``).
    private(set) var liveConnections: Set<UnsafeMutableRawPointer> = []

    private init() throws {
        LWSLogging.installOnce()
        self.protocolName = strdup("meshbridge-ws")
        // Two entries: ours and the zeroed terminator libwebsockets expects.
        self.protocols = .allocate(capacity: 2)
        self.protocols.initialize(repeating: lws_protocols(), count: 2)
        self.protocols[0].name = UnsafePointer(self.protocolName)
        self.protocols[0].callback = lwsProtocolCallback
        self.protocols[0].per_session_data_size = 0
        self.protocols[0].rx_buffer_size = 0
        self.noValidityPolicy = .allocate(capacity: 1)
        self.noValidityPolicy.initialize(to: lws_retry_bo_t())

        var info = lws_context_creation_info()
        info.port = clws_context_port_no_listen()
        info.protocols = UnsafePointer(self.protocols)
        info.options = clws_client_context_options()
        info.gid = -1  // do not change group or user
        info.uid = -1
        info.pt_serv_buf_size = 32 * 1024  // room for large bearer tokens in the upgrade request
        info.max_http_header_data = 16 * 1024
        // Connect deadlines are enforced per connection by our own timer (see `timerFired`); this is only
        // libwebsockets' backstop for its internal round trips.
        info.timeout_secs = 60
        info.user = Unmanaged.passUnretained(self).toOpaque()
        guard let context = lws_create_context(&info) else {
            self.protocols.deallocate()
            self.noValidityPolicy.deallocate()
            free(self.protocolName)
            throw TransportError(
                code: .other, operation: "WebSocket", url: "", detail: "lws_create_context failed")
        }
        self.context = context
        let thread = EventLoopThread { [self] in
            self.run()
        }
        self.thread.withLock { $0 = thread }
    }

    /// Recovers the loop from a context's user pointer.
    static func from(context: OpaquePointer) -> LWSEventLoop? {
        lws_context_user(context).map { Unmanaged<LWSEventLoop>.fromOpaque($0).takeUnretainedValue() }
    }

    // MARK: Any thread

    /// Enqueues a command and wakes the loop. Returns `false` once the loop no longer accepts work.
    func enqueue(_ command: Command) -> Bool {
        self.inbox.withLock { inbox in
            guard case .running = inbox.state, let context = self.context else { return false }
            inbox.commands.append(command)
            lws_cancel_service(context)
            return true
        }
    }

    func requestShutdown() {
        self.inbox.withLock { inbox in
            guard case .running = inbox.state, let context = self.context else { return }
            inbox.state = .shuttingDown
            lws_cancel_service(context)
        }
    }

    func shutdown() async {
        self.requestShutdown()
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let alreadyStopped = self.inbox.withLock { inbox in
                if case .stopped = inbox.state { return true }
                inbox.stopWaiters.append(continuation)
                return false
            }
            if alreadyStopped {
                continuation.resume()
            }
        }
        if let thread = self.takeThreadForRelease() {
            thread.join()
        }
    }

    func shutdownDetached() {
        self.requestShutdown()
        self.takeThreadForRelease()?.detach()
    }

    private func takeThreadForRelease() -> EventLoopThread? {
        let release = self.inbox.withLock { inbox -> Bool in
            defer { inbox.threadReleased = true }
            return !inbox.threadReleased
        }
        return release ? self.thread.withLock { $0 } : nil
    }

    // MARK: Loop thread

    private func run() {
        guard let context = self.context else { return }
        while true {
            let (commands, state) = self.inbox.withLock { inbox in
                defer { inbox.commands.removeAll(keepingCapacity: true) }
                return (inbox.commands, inbox.state)
            }
            for command in commands {
                self.handle(command)
            }
            if case .shuttingDown = state {
                break
            }
            // Returns after one poll cycle: socket activity, a due timer, or lws_cancel_service.
            _ = lws_service(context, 0)
        }
        self.tearDown(context)
    }

    private func tearDown(_ context: OpaquePointer) {
        for pointer in self.liveConnections {
            let state = Unmanaged<WebSocketConnectionState>.fromOpaque(pointer).takeUnretainedValue()
            if state.failure == nil {
                state.failure = state.error(.shutdown, "the WebSocket client was shut down")
            }
        }
        let (waiters, leftovers) = self.inbox.withLock { inbox in
            inbox.state = .stopped
            defer {
                inbox.commands = []
                inbox.stopWaiters = []
            }
            return (inbox.stopWaiters, inbox.commands)
        }
        // Closes every wsi; their CLIENT_CLOSED / WSI_DESTROY callbacks finalize and release the states.
        lws_context_destroy(context)
        self.context = nil
        for pointer in self.liveConnections {
            let state = Unmanaged<WebSocketConnectionState>.fromOpaque(pointer).takeUnretainedValue()
            state.finalize(defaultError: state.error(.shutdown, "the WebSocket client was shut down"))
            state.lwsReference?.release()
            state.lwsReference = nil
        }
        self.liveConnections = []
        for command in leftovers {
            self.failAfterShutdown(command)
        }
        for name in self.vhostNames {
            free(name)
        }
        self.vhostNames = []
        self.vhosts = [:]
        self.protocols.deallocate()
        self.noValidityPolicy.deallocate()
        free(self.protocolName)
        for waiter in waiters {
            waiter.resume()
        }
    }

    private func failAfterShutdown(_ command: Command) {
        switch command {
        case .connect(let state):
            state.finalize(defaultError: state.error(.shutdown, "the WebSocket client was shut down"))
        case .send(let state, let outgoing):
            outgoing.continuation.resume(throwing: state.error(.shutdown, "the WebSocket client was shut down"))
        case .close(_, _, _, let waiter):
            waiter?.resume()
        case .abortConnect:
            break
        case .closeAll(_, let waiter):
            waiter.resume()
        case .closeAllDetached:
            break
        }
    }

    private func handle(_ command: Command) {
        switch command {
        case .connect(let state):
            self.connect(state)
        case .abortConnect(let state):
            // Only matters while connecting; an open connection is closed through `close`.
            if state.phase == .connecting, let wsi = state.wsi {
                state.failure = state.error(.cancelled, "the connect was cancelled")
                lws_set_timeout(wsi, PENDING_TIMEOUT_USER_OK, LWS_TO_KILL_ASYNC)
            }
        case .send(let state, let outgoing):
            guard state.phase == .open, let wsi = state.wsi else {
                outgoing.continuation.resume(
                    throwing: state.failure ?? state.error(.connectionClosed, "the WebSocket connection is closed"))
                return
            }
            state.outgoing.append(outgoing)
            lws_callback_on_writable(wsi)
        case .close(let state, let code, let reason, let waiter):
            switch state.phase {
            case .closed:
                waiter?.resume()
            case .pending:
                state.finalize(defaultError: state.error(.cancelled, "closed before connecting"))
                waiter?.resume()
            case .connecting:
                if let waiter { state.closeWaiters.append(waiter) }
                if let wsi = state.wsi {
                    state.failure = state.error(.cancelled, "closed while connecting")
                    lws_set_timeout(wsi, PENDING_TIMEOUT_USER_OK, LWS_TO_KILL_ASYNC)
                }
            case .open:
                if let waiter { state.closeWaiters.append(waiter) }
                state.phase = .closing
                state.pendingClose = (code, reason)
                state.closeInitiatedLocally = true
                if let wsi = state.wsi {
                    lws_callback_on_writable(wsi)
                }
            case .closing:
                if let waiter { state.closeWaiters.append(waiter) }
            }
        case .closeAll(let owner, let waiter):
            self.closeAll(owner: owner)
            waiter.resume()
        case .closeAllDetached(let owner):
            self.closeAll(owner: owner)
        }
    }

    private func closeAll(owner: WebSocketClientLifecycle) {
        for pointer in self.liveConnections {
            let state = Unmanaged<WebSocketConnectionState>.fromOpaque(pointer).takeUnretainedValue()
            guard state.owner === owner, state.phase != .closed else { continue }
            let error = state.error(.shutdown, "the WebSocket client was shut down")
            state.failure = state.failure ?? error
            state.finalize(defaultError: error)
            if let wsi = state.wsi {
                lws_set_timeout(wsi, PENDING_TIMEOUT_USER_OK, LWS_TO_KILL_ASYNC)
            }
        }
    }

    private func connect(_ state: WebSocketConnectionState) {
        guard let context = self.context else { return }
        if state.isAbortRequested {
            state.finalize(defaultError: state.error(.cancelled, "the connect was cancelled"))
            return
        }
        if state.owner.isShutDown {
            state.finalize(defaultError: state.error(.shutdown, "the WebSocket client was shut down"))
            return
        }
        let vhost: OpaquePointer
        do {
            vhost = try self.vhost(for: state.options.tls, context: context, state: state)
        } catch let error as TransportError {
            state.finalize(defaultError: error)
            return
        } catch {
            state.finalize(defaultError: state.error(.tls, "\(error)"))
            return
        }

        let url = state.options.url
        var flags: Int32 = 0
        if url.secure {
            flags |= Int32(LCCSCF_USE_SSL.rawValue)
            if state.options.tls.insecureSkipVerify {
                flags |= Int32(
                    LCCSCF_ALLOW_SELFSIGNED.rawValue | LCCSCF_ALLOW_INSECURE.rawValue | LCCSCF_ALLOW_EXPIRED.rawValue
                        | LCCSCF_SKIP_SERVER_CERT_HOSTNAME_CHECK.rawValue)
            }
        }

        state.phase = .connecting
        let reference = Unmanaged.passRetained(state)
        state.lwsReference = reference
        self.liveConnections.insert(state.opaquePointer)

        // libwebsockets copies these strings into the wsi during the call.
        let wsi: OpaquePointer? = url.host.withCString { address in
            url.path.withCString { path in
                url.hostHeader.withCString { host in
                    "http/1.1".withCString { alpn in
                        var info = lws_client_connect_info()
                        info.context = context
                        info.vhost = vhost
                        info.address = address
                        info.port = Int32(url.port)
                        info.ssl_connection = flags
                        info.path = path
                        info.host = host
                        info.alpn = alpn
                        info.userdata = state.opaquePointer
                        info.local_protocol_name = UnsafePointer(self.protocolName)
                        // Liveness is checked by our own timer (see `timerFired`), not lws validity.
                        info.retry_and_idle_policy = UnsafePointer(self.noValidityPolicy)
                        return lws_client_connect_via_info(&info)
                    }
                }
            }
        }
        if let wsi {
            state.wsi = wsi
            // The connect deadline uses the same per-wsi timer as pings; see `LWSConnectionCallbacks.timerFired`.
            state.connectDeadline = .now + state.options.connectTimeout
            lws_set_timer_usecs(wsi, state.options.connectTimeout.microseconds)
        } else {
            // Synchronous failure. libwebsockets may or may not have destroyed a half-built wsi (and with it
            // released our reference via WSI_DESTROY); release only if it did not.
            state.finalize(defaultError: state.error(.connectFailed, "lws_client_connect_via_info failed"))
            self.releaseConnection(state.opaquePointer)
        }
    }

    /// Drops the loop's knowledge of a user pointer and the retain held for libwebsockets (idempotent).
    func releaseConnection(_ pointer: UnsafeMutableRawPointer) {
        guard self.liveConnections.remove(pointer) != nil else { return }
        let state = Unmanaged<WebSocketConnectionState>.fromOpaque(pointer).takeUnretainedValue()
        state.wsi = nil
        state.lwsReference = nil
        Unmanaged<WebSocketConnectionState>.fromOpaque(pointer).release()
    }

    // MARK: Vhosts

    private func vhost(
        for tls: TLSConfiguration,
        context: OpaquePointer,
        state: WebSocketConnectionState
    ) throws -> OpaquePointer {
        var key = tls
        key.insecureSkipVerify = false
        if let existing = self.vhosts[key] {
            return existing
        }
        let material = try LWSTLSMaterial(tls, state: state)
        let name = strdup("meshbridge-\(self.vhosts.count)")!
        self.vhostNames.append(name)

        var info = lws_context_creation_info()
        info.port = clws_context_port_no_listen()
        info.protocols = UnsafePointer(self.protocols)
        info.vhost_name = UnsafePointer(name)
        info.options = clws_vhost_client_tls_options(material.hasOwnTrustRoots ? 1 : 0)
        let created: OpaquePointer? = material.withCreationInfo(&info) { info in
            lws_create_vhost(context, &info)
        }
        guard let vhost = created else {
            throw state.error(.tls, "could not load the TLS configuration (CA, client certificate or key)")
        }
        for der in material.extraCADER {
            let failed = der.withUnsafeBufferPointer {
                lws_tls_client_vhost_extra_cert_mem(vhost, $0.baseAddress, $0.count)
            }
            if failed != 0 {
                throw state.error(.tls, "could not add a CA certificate from the trust bundle")
            }
        }
        self.vhosts[key] = vhost
        return vhost
    }
}

extension Duration {
    /// The duration in whole microseconds (at least 1), the unit of `lws_set_timer_usecs`.
    var microseconds: Int64 {
        let (seconds, attoseconds) = self.components
        return Swift.max(1, seconds * 1_000_000 + attoseconds / 1_000_000_000_000)
    }
}

/// Routes libwebsockets' own log lines to swift-log at debug level (errors are reported through
/// ``TransportError``; lws's lines are only useful when debugging).
enum LWSLogging {
    static let logger = Logger(label: "meshbridge.transport.libwebsockets")

    private static let installed: Bool = {
        lws_set_log_level(LLL_ERR | LLL_WARN, lwsLogEmit)
        return true
    }()

    static func installOnce() {
        _ = Self.installed
    }
}

private func lwsLogEmit(_ level: Int32, _ line: UnsafePointer<CChar>?) {
    guard let line else { return }
    var text = String(cString: line)
    while text.last == "\n" { text.removeLast() }
    LWSLogging.logger.debug("\(text)", metadata: ["lws.level": "\(level)"])
}
