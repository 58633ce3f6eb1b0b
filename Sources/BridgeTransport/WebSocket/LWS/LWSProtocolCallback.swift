import CLibWebSockets

/// The libwebsockets protocol callback of every ``WebSocketClient`` connection.
///
/// A C function pointer cannot capture context, so this is a global function: it finds the event loop through
/// the context's user pointer and the connection through the wsi user pointer. It runs on the loop thread only.
func lwsProtocolCallback(
    _ wsi: OpaquePointer?,
    _ reason: lws_callback_reasons,
    _ user: UnsafeMutableRawPointer?,
    _ input: UnsafeMutableRawPointer?,
    _ length: Int
) -> Int32 {
    // libwebsockets also passes OpenSSL objects as `user` for TLS reasons, so only pointers the loop handed out
    // are interpreted as connection state.
    guard let wsi, let user, let context = lws_get_context(wsi), let loop = LWSEventLoop.from(context: context),
        loop.liveConnections.contains(user)
    else {
        return 0
    }
    let state = Unmanaged<WebSocketConnectionState>.fromOpaque(user).takeUnretainedValue()
    let connection = LWSConnectionCallbacks(wsi: wsi, state: state, loop: loop)

    switch reason {
    case LWS_CALLBACK_CLIENT_APPEND_HANDSHAKE_HEADER:
        return connection.appendHandshakeHeaders(input, length)
    case LWS_CALLBACK_ESTABLISHED_CLIENT_HTTP:
        state.upgradeStatus = Int(lws_http_client_http_response(wsi))
        return 0
    case LWS_CALLBACK_CLIENT_ESTABLISHED:
        connection.established()
        return 0
    case LWS_CALLBACK_CLIENT_CONNECTION_ERROR:
        connection.connectionError(input.map { String(cString: $0.assumingMemoryBound(to: CChar.self)) } ?? "")
        return 0
    case LWS_CALLBACK_CLIENT_RECEIVE:
        return connection.receive(input, length)
    case LWS_CALLBACK_CLIENT_RECEIVE_PONG:
        state.lastReceived = .now
        return 0
    case LWS_CALLBACK_WS_PEER_INITIATED_CLOSE:
        connection.peerInitiatedClose(input, length)
        return 0
    case LWS_CALLBACK_CLIENT_WRITEABLE:
        return connection.writeable()
    case LWS_CALLBACK_TIMER:
        return connection.timerFired()
    case LWS_CALLBACK_CLIENT_CLOSED:
        state.finalize(
            defaultError: state.error(.connectionClosed, "the peer closed the TCP connection without a close frame"))
        return 0
    case LWS_CALLBACK_WSI_DESTROY:
        // The last callback of a wsi: nothing will use the user pointer after this.
        state.finalize(defaultError: state.error(.connectFailed, "the connection was torn down before it opened"))
        loop.releaseConnection(user)
        return 0
    default:
        return 0
    }
}

/// The per-reason handlers of ``lwsProtocolCallback``. A value created for one callback invocation.
struct LWSConnectionCallbacks {
    let wsi: OpaquePointer
    let state: WebSocketConnectionState
    let loop: LWSEventLoop

    /// Adds the caller's headers to the upgrade request. `input` is `unsigned char **p`, `length` the space left.
    func appendHandshakeHeaders(_ input: UnsafeMutableRawPointer?, _ length: Int) -> Int32 {
        guard let input else { return -1 }
        let cursor = input.assumingMemoryBound(to: UnsafeMutablePointer<UInt8>?.self)
        guard let start = cursor.pointee else { return -1 }
        let end = start + length
        for (name, value) in self.state.options.headers {
            let added = "\(name):".withCString { namePointer in
                value.withCString { valuePointer in
                    lws_add_http_header_by_name(
                        self.wsi,
                        UnsafeRawPointer(namePointer).assumingMemoryBound(to: UInt8.self),
                        UnsafeRawPointer(valuePointer).assumingMemoryBound(to: UInt8.self),
                        Int32(value.utf8.count), cursor, end)
                }
            }
            if added != 0 {
                self.state.failure = self.state.error(
                    .invalidRequest, "the upgrade request headers do not fit into the libwebsockets buffer")
                return -1
            }
        }
        return 0
    }

    func established() {
        self.state.phase = .open
        let now = ContinuousClock.now
        self.state.lastReceived = now
        if let interval = self.state.options.pingInterval {
            self.state.nextPing = now + interval
        }
        self.scheduleTimer(now: now)
        if let connect = self.state.connectContinuation {
            self.state.connectContinuation = nil
            connect.resume()
        }
        if !self.state.outgoing.isEmpty {
            lws_callback_on_writable(self.wsi)
        }
    }

    func connectionError(_ reason: String) {
        let status = self.state.upgradeStatus
        let error: TransportError
        if let failure = self.state.failure {
            error = failure
        } else if status != 0 && status != 101 {
            error = self.state.error(.upgradeRejected, reason, httpStatus: status)
        } else if Self.looksLikeTLS(reason) {
            error = self.state.error(.tls, reason)
        } else if reason.lowercased().contains("timed out") || reason.lowercased().contains("timeout") {
            error = self.state.error(.timedOut, reason)
        } else if reason.hasPrefix("HS:") {
            error = self.state.error(.protocolError, reason)
        } else {
            error = self.state.error(.connectFailed, reason.isEmpty ? "connection failed" : reason)
        }
        self.state.failure = error
        self.state.finalize(defaultError: error)
    }

    static func looksLikeTLS(_ reason: String) -> Bool {
        let lowered = reason.lowercased()
        return ["ssl", "tls", "certificate", "x509"].contains { lowered.contains($0) }
    }

    /// A piece of a data frame. libwebsockets may split one frame over several calls; `lws_is_final_fragment`
    /// marks the end of the whole message.
    func receive(_ input: UnsafeMutableRawPointer?, _ length: Int) -> Int32 {
        self.state.lastReceived = .now
        if lws_is_first_fragment(self.wsi) != 0 {
            self.state.receiveBuffer.removeAll(keepingCapacity: true)
            self.state.receivingBinary = lws_frame_is_binary(self.wsi) != 0
        }
        if self.state.receiveBuffer.count + length > self.state.options.maxMessageSize {
            return self.fail(
                .protocolError, "a message exceeded the limit of \(self.state.options.maxMessageSize) bytes",
                closeWith: .messageTooBig)
        }
        if let input, length > 0 {
            self.state.receiveBuffer.append(
                contentsOf: UnsafeRawBufferPointer(start: input, count: length))
        }
        guard lws_is_final_fragment(self.wsi) != 0 else { return 0 }
        let bytes = self.state.receiveBuffer
        self.state.receiveBuffer.removeAll(keepingCapacity: true)
        if self.state.receivingBinary {
            self.state.messages.yield(.binary(bytes))
        } else {
            guard let text = String(validating: bytes, as: UTF8.self) else {
                return self.fail(.protocolError, "a text message was not valid UTF-8", closeWith: .invalidPayload)
            }
            self.state.messages.yield(.text(text))
        }
        return 0
    }

    /// The payload is the close code (2 bytes, big endian) followed by the UTF-8 reason.
    func peerInitiatedClose(_ input: UnsafeMutableRawPointer?, _ length: Int) {
        self.state.peerSentClose = true
        var status = WebSocketCloseStatus(code: nil, reason: "")
        if let input, length >= 2 {
            let bytes = UnsafeRawBufferPointer(start: input, count: length)
            status.code = WebSocketCloseCode(rawValue: UInt16(bytes[0]) << 8 | UInt16(bytes[1]))
            status.reason = String(decoding: bytes.dropFirst(2), as: UTF8.self)
        }
        self.state.peerCloseStatus.withLock { $0 = status }
    }

    /// Sends at most one frame per call, in priority order: close, ping, data.
    func writeable() -> Int32 {
        if let close = self.state.pendingClose {
            self.state.pendingClose = nil
            var reason = Array(close.reason.utf8.prefix(123))  // a control frame payload is at most 125 bytes
            reason.withUnsafeMutableBufferPointer { buffer in
                lws_close_reason(
                    self.wsi, lws_close_status(rawValue: UInt32(close.code.rawValue)), buffer.baseAddress, buffer.count)
            }
            // Returning -1 makes libwebsockets send the close frame and wait for the peer's close reply.
            return -1
        }
        if self.state.pingPending {
            self.state.pingPending = false
            if self.write([], LWS_WRITE_PING) < 0 {
                return self.fail(.connectionClosed, "sending a ping failed", closeWith: nil)
            }
        } else if !self.state.outgoing.isEmpty, self.state.phase == .open {
            let next = self.state.outgoing.removeFirst()
            let written: Int32
            switch next.message {
            case .text(let text): written = self.write(Array(text.utf8), LWS_WRITE_TEXT)
            case .binary(let bytes): written = self.write(bytes, LWS_WRITE_BINARY)
            }
            if written < 0 {
                let error = self.state.error(.connectionClosed, "sending a message failed")
                next.continuation.resume(throwing: error)
                self.state.failure = self.state.failure ?? error
                return -1
            }
            next.continuation.resume()
        }
        if self.state.pingPending || !self.state.outgoing.isEmpty {
            lws_callback_on_writable(self.wsi)
        }
        return 0
    }

    /// Enforces the connect deadline; once open, sends pings on the interval and hangs up when nothing (not even
    /// a pong) arrived within the idle timeout.
    func timerFired() -> Int32 {
        let now = ContinuousClock.now
        if self.state.phase == .connecting {
            guard now >= self.state.connectDeadline else {
                lws_set_timer_usecs(self.wsi, (self.state.connectDeadline - now).microseconds)
                return 0
            }
            self.state.failure = self.state.error(
                .timedOut, "no WebSocket upgrade within \(self.state.options.connectTimeout)")
            return -1
        }
        guard self.state.phase == .open else { return 0 }
        if let idle = self.state.options.idleTimeout, now - self.state.lastReceived >= idle {
            // No close handshake: the peer is presumed dead, so returning -1 just drops the socket.
            self.state.failure = self.state.error(.timedOut, "no frame received from the peer for \(idle)")
            return -1
        }
        if let interval = self.state.options.pingInterval, now >= self.state.nextPing {
            self.state.pingPending = true
            self.state.nextPing = now + interval
            lws_callback_on_writable(self.wsi)
        }
        self.scheduleTimer(now: now)
        return 0
    }

    private func scheduleTimer(now: ContinuousClock.Instant) {
        var deadlines: [ContinuousClock.Instant] = []
        if self.state.options.pingInterval != nil {
            deadlines.append(self.state.nextPing)
        }
        if let idle = self.state.options.idleTimeout {
            deadlines.append(self.state.lastReceived + idle)
        }
        guard let next = deadlines.min() else {
            lws_set_timer_usecs(self.wsi, -1)  // cancel the connect deadline
            return
        }
        lws_set_timer_usecs(self.wsi, max(next - now, .milliseconds(1)).microseconds)
    }

    private func write(_ payload: [UInt8], _ kind: lws_write_protocol) -> Int32 {
        let padding = clws_pre_padding()
        var buffer = [UInt8](repeating: 0, count: padding + payload.count)
        buffer.replaceSubrange(padding..., with: payload)
        return buffer.withUnsafeMutableBufferPointer { pointer in
            lws_write(self.wsi, pointer.baseAddress! + padding, payload.count, kind)
        }
    }

    /// Records `detail` as the stream's error and closes: with a close frame if `closeWith` is set, otherwise by
    /// dropping the socket.
    private func fail(_ code: TransportError.Code, _ detail: String, closeWith closeCode: WebSocketCloseCode?) -> Int32
    {
        self.state.failure = self.state.failure ?? self.state.error(code, detail)
        if let closeCode {
            var reason = Array(detail.utf8.prefix(123))
            reason.withUnsafeMutableBufferPointer { buffer in
                lws_close_reason(
                    self.wsi, lws_close_status(rawValue: UInt32(closeCode.rawValue)), buffer.baseAddress, buffer.count)
            }
        }
        return -1
    }
}
