import CCurl
import Synchronization

/// The thread that drives one libcurl multi handle.
///
/// ## Threading model
/// - One dedicated POSIX thread per ``HTTPClient`` runs `curl_multi_perform` and blocks in `curl_multi_poll`.
///   libcurl (the multi handle, every easy handle added to it, every callback) is only touched from this thread.
/// - Other threads talk to the loop through a mutex-protected inbox of commands (add a transfer, cancel a
///   transfer); after enqueueing they call `curl_multi_wakeup`, the one libcurl function that is safe to call from
///   another thread, which interrupts `curl_multi_poll`. The wake-up is issued while holding the inbox lock so it
///   can never race with `curl_multi_cleanup` at shutdown.
/// - Results travel back through continuations and `AsyncThrowingStream` continuations, resumed on the loop
///   thread; the awaiting tasks then continue on the Swift concurrency pool, never on this thread.
/// - The easy handles stay in the multi handle's connection cache between transfers, which is what gives
///   keep-alive connection reuse.
final class CurlEventLoop: @unchecked Sendable {
    private enum Command {
        case add(CurlTransfer)
        case cancel(CurlTransfer)
    }

    private enum State {
        case running
        case shuttingDown
        case stopped
    }

    private struct Inbox {
        var commands: [Command] = []
        var state: State = .running
        var stopWaiters: [CheckedContinuation<Void, Never>] = []
        var threadReleased = false
    }

    private let multi: UnsafeMutableRawPointer
    private let inbox = Mutex(Inbox())
    private let thread: Mutex<EventLoopThread?> = Mutex(nil)

    // Loop-thread state.
    private var active: [ObjectIdentifier: CurlTransfer] = [:]

    init(configuration: HTTPClient.Configuration) {
        CurlGlobal.initializeOnce()
        guard let multi = curl_multi_init() else {
            fatalError("curl_multi_init failed (out of memory)")
        }
        self.multi = multi
        _ = ccurl_multi_setopt_long(multi, CURLMOPT_MAX_HOST_CONNECTIONS, configuration.maxConnectionsPerHost)
        if let maxCached = configuration.maxCachedConnections {
            _ = ccurl_multi_setopt_long(multi, CURLMOPT_MAXCONNECTS, maxCached)
        }
        let thread = EventLoopThread { [self] in
            self.run()
        }
        self.thread.withLock { $0 = thread }
    }

    // MARK: Any thread

    /// Hands a transfer to the loop. Returns `false` if the loop no longer accepts work.
    func submit(_ transfer: CurlTransfer) -> Bool {
        self.enqueue(.add(transfer))
    }

    /// Asks the loop to abort `transfer`; it completes with a `cancelled` error unless it already finished.
    func cancel(_ transfer: CurlTransfer) {
        if transfer.requestCancellation() {
            _ = self.enqueue(.cancel(transfer))
        }
    }

    private func enqueue(_ command: Command) -> Bool {
        self.inbox.withLock { inbox in
            guard case .running = inbox.state else { return false }
            inbox.commands.append(command)
            _ = curl_multi_wakeup(self.multi)
            return true
        }
    }

    /// Stops accepting work and makes the loop fail every transfer with a `shutdown` error, free its handles and
    /// exit. Returns immediately.
    func requestShutdown() {
        self.inbox.withLock { inbox in
            guard case .running = inbox.state else { return }
            inbox.state = .shuttingDown
            _ = curl_multi_wakeup(self.multi)
        }
    }

    /// Shuts down (if not already requested), waits until the loop thread has cleaned up, and joins it.
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
        // The loop has resumed us as its very last action, so this join returns almost immediately.
        if let thread = self.takeThreadForRelease() {
            thread.join()
        }
    }

    /// For owners that go away without awaiting ``shutdown()``: the thread finishes on its own.
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
        var runningHandles: Int32 = 0
        while true {
            let (commands, state) = self.inbox.withLock { inbox in
                defer { inbox.commands.removeAll(keepingCapacity: true) }
                return (inbox.commands, inbox.state)
            }
            for command in commands {
                switch command {
                case .add(let transfer): self.add(transfer)
                case .cancel(let transfer): self.abort(transfer, code: .cancelled, detail: "")
                }
            }
            if case .shuttingDown = state {
                break
            }
            _ = curl_multi_perform(self.multi, &runningHandles)
            self.collectFinishedTransfers()
            // Blocks until socket activity, libcurl's next internal timer, or curl_multi_wakeup.
            _ = curl_multi_poll(self.multi, nil, 0, 1000, nil)
        }

        for transfer in Array(self.active.values) {
            self.abort(transfer, code: .shutdown, detail: "the HTTP client was shut down")
        }
        let waiters = self.inbox.withLock { inbox in
            inbox.state = .stopped
            // Commands cannot arrive any more; anything left was enqueued before the state changed.
            let leftovers = inbox.commands
            inbox.commands = []
            defer { inbox.stopWaiters = [] }
            return (inbox.stopWaiters, leftovers)
        }
        for case .add(let transfer) in waiters.1 {
            transfer.complete(with: self.error(for: transfer, code: .shutdown, detail: "the HTTP client was shut down"))
        }
        curl_multi_cleanup(self.multi)
        for waiter in waiters.0 {
            waiter.resume()
        }
    }

    private func add(_ transfer: CurlTransfer) {
        if transfer.isCancellationRequested {
            transfer.complete(with: self.error(for: transfer, code: .cancelled, detail: ""))
            return
        }
        let result = curl_multi_add_handle(self.multi, transfer.easy)
        guard result == CURLM_OK else {
            let detail = String(cString: curl_multi_strerror(result))
            transfer.complete(with: self.error(for: transfer, code: .other, detail: detail))
            return
        }
        transfer.libcurlReference = Unmanaged.passRetained(transfer)
        self.active[ObjectIdentifier(transfer)] = transfer
    }

    private func collectFinishedTransfers() {
        var remaining: Int32 = 0
        while let message = curl_multi_info_read(self.multi, &remaining) {
            guard message.pointee.msg == CURLMSG_DONE, let easy = message.pointee.easy_handle else { continue }
            let result = ccurl_msg_result(message)
            var context: UnsafeMutableRawPointer?
            _ = ccurl_easy_getinfo_pointer(easy, CURLINFO_PRIVATE, &context)
            guard let context else { continue }
            let transfer = CurlTransfer.from(context)
            if result == CURLE_OK {
                self.finish(transfer, error: nil)
            } else {
                var detail = transfer.libcurlErrorText
                if detail.isEmpty {
                    detail = String(cString: curl_easy_strerror(result))
                }
                var code = TransportError.Code(curlCode: result)
                if code == .cancelled && !transfer.isCancellationRequested {
                    code = .other
                } else if code == .connectionClosed && detail.contains(" alert ") {
                    // With TLS 1.3 the server rejects a client certificate after the handshake; the alert then
                    // surfaces as a receive error ("tlsv13 alert certificate required").
                    code = .tls
                }
                let error = TransportError(
                    code: code,
                    operation: transfer.method.rawValue, url: transfer.url, detail: detail,
                    curlCode: Int(result.rawValue))
                self.finish(transfer, error: error)
            }
        }
    }

    private func abort(_ transfer: CurlTransfer, code: TransportError.Code, detail: String) {
        guard self.active[ObjectIdentifier(transfer)] != nil else { return }
        self.finish(transfer, error: self.error(for: transfer, code: code, detail: detail))
    }

    private func finish(_ transfer: CurlTransfer, error: TransportError?) {
        _ = curl_multi_remove_handle(self.multi, transfer.easy)
        transfer.complete(with: error)
        transfer.releaseHandle()
        self.active[ObjectIdentifier(transfer)] = nil
        transfer.libcurlReference?.release()
        transfer.libcurlReference = nil
    }

    private func error(for transfer: CurlTransfer, code: TransportError.Code, detail: String) -> TransportError {
        TransportError(code: code, operation: transfer.method.rawValue, url: transfer.url, detail: detail)
    }
}
