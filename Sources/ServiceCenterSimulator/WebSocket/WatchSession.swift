import NIOConcurrencyHelpers
import NIOCore
import NIOWebSocket

/// One upgraded watch socket, driven frame by frame like Service Center's `server/pubsub/ws` package over
/// gorilla/websocket:
///
/// - unknown (or empty) consumer id: one text frame with the plain error, then TCP close without a Close frame;
/// - no initial frame; one JSON text frame per event of the consumer's providers;
/// - an empty Ping every `pingInterval` while the consumer exists, until the client pings first; client Pings are
///   answered with empty Pongs;
/// - the read deadline (`readTimeout`) is extended only by client Pings and Pongs; when it passes, TCP close;
/// - a client Close is echoed with the same code and text, then TCP close;
/// - a data message longer than `readLimit` gets Close 1009 and TCP close.
struct WatchSession {
    let consumerId: String
    let tenant: Tenant
    let core: SimulatorCore

    /// The read deadline, moved forward by client Pings and Pongs.
    private final class ReadDeadline: Sendable {
        private let deadline: NIOLockedValueBox<ContinuousClock.Instant>
        private let timeout: Duration

        init(timeout: Duration) {
            self.timeout = timeout
            self.deadline = NIOLockedValueBox(.now + timeout)
        }

        func extend() { deadline.withLockedValue { $0 = .now + timeout } }

        var value: ContinuousClock.Instant { deadline.withLockedValue { $0 } }
    }

    func run(_ asyncChannel: NIOAsyncChannel<WebSocketFrame, WebSocketFrame>) async {
        let channel = asyncChannel.channel
        do {
            try await asyncChannel.executeThenClose { inbound, outbound in
                guard !consumerId.isEmpty else {
                    try await outbound.write(Self.textFrame("required the serviceID"))
                    return
                }
                guard await core.registry.service(consumerId, in: tenant) != nil else {
                    try await outbound.write(Self.textFrame("service does not exist"))
                    return
                }
                let subscription = core.hub.subscribe(tenant: tenant, consumerId: consumerId)
                let entry = WatchSessionTracker.Entry(
                    channel: channel,
                    info: WatchSocketInfo(
                        consumerId: consumerId,
                        tenant: tenant,
                        eventFramesSent: 0,
                        pingsSent: 0,
                        pingTicks: 0,
                        clientPinged: false,
                        pongsSent: 0
                    )
                )
                core.watchSessions.add(entry)
                defer {
                    core.watchSessions.remove(entry)
                    core.hub.unsubscribe(subscription)
                }
                core.logger.info("watch socket opened for consumer \(consumerId) in \(tenant)")
                let deadline = ReadDeadline(timeout: core.configuration.watch.readTimeout)

                await withTaskGroup(of: Void.self) { group in
                    group.addTask { await pumpEvents(subscription, outbound, entry) }
                    group.addTask { await pingLoop(outbound, entry) }
                    group.addTask { await enforceDeadline(deadline, channel) }
                    await readLoop(inbound, outbound, deadline, entry)
                    group.cancelAll()
                }
            }
        } catch {
            core.logger.debug("watch socket of consumer \(consumerId) ended: \(error)")
        }
    }

    private func pumpEvents(
        _ subscription: EventHub.Subscription,
        _ outbound: NIOAsyncChannelOutboundWriter<WebSocketFrame>,
        _ entry: WatchSessionTracker.Entry
    ) async {
        while let event = await subscription.queue.next() {
            do {
                try await outbound.write(Self.textFrame(event.frameText))
                entry.info.withLockedValue { $0.eventFramesSent += 1 }
            } catch {
                return
            }
        }
    }

    private func pingLoop(_ outbound: NIOAsyncChannelOutboundWriter<WebSocketFrame>, _ entry: WatchSessionTracker.Entry)
        async
    {
        let interval = core.configuration.watch.pingInterval
        while !Task.isCancelled {
            do { try await Task.sleep(for: interval) } catch { return }
            entry.info.withLockedValue { $0.pingTicks += 1 }
            // The health checker drops a socket whose consumer is gone: no more Pings, ever.
            guard await core.registry.service(consumerId, in: tenant) != nil else { return }
            // Decide and count in one step, so a client Ping seen after this point cannot race a Ping in flight.
            let sendPing = entry.info.withLockedValue { info -> Bool in
                guard !info.clientPinged else { return false }
                info.pingsSent += 1
                return true
            }
            guard sendPing else { continue }
            do {
                try await outbound.write(WebSocketFrame(fin: true, opcode: .ping, data: ByteBuffer()))
            } catch {
                return
            }
        }
    }

    private func enforceDeadline(_ deadline: ReadDeadline, _ channel: any Channel) async {
        while !Task.isCancelled {
            let due = deadline.value
            if ContinuousClock.now >= due {
                core.logger.info("watch socket of consumer \(consumerId): read timeout, dropping")
                channel.close(promise: nil)
                return
            }
            do { try await Task.sleep(until: due, clock: .continuous) } catch { return }
        }
    }

    private func readLoop(
        _ inbound: NIOAsyncChannelInboundStream<WebSocketFrame>,
        _ outbound: NIOAsyncChannelOutboundWriter<WebSocketFrame>,
        _ deadline: ReadDeadline,
        _ entry: WatchSessionTracker.Entry
    ) async {
        let limit = core.configuration.watch.readLimit
        var messageLength = 0
        do {
            for try await frame in inbound {
                switch frame.opcode {
                case .ping:
                    deadline.extend()
                    entry.info.withLockedValue { $0.clientPinged = true }
                    try await outbound.write(WebSocketFrame(fin: true, opcode: .pong, data: ByteBuffer()))
                    entry.info.withLockedValue { $0.pongsSent += 1 }
                case .pong:
                    deadline.extend()
                case .connectionClose:
                    // Echo: the same code and text; a Close without status (1005) is answered with an empty Close.
                    var payload = frame.unmaskedData
                    if payload.readableBytes < 2 { payload.clear() }
                    try? await outbound.write(WebSocketFrame(fin: true, opcode: .connectionClose, data: payload))
                    return
                case .text, .binary, .continuation:
                    messageLength =
                        frame.opcode == .continuation
                        ? messageLength + frame.data.readableBytes : frame.data.readableBytes
                    if messageLength > limit {
                        var code = ByteBuffer()
                        code.write(webSocketErrorCode: .messageTooLarge)
                        try? await outbound.write(WebSocketFrame(fin: true, opcode: .connectionClose, data: code))
                        return
                    }
                default:
                    var code = ByteBuffer()
                    code.write(webSocketErrorCode: .protocolError)
                    try? await outbound.write(WebSocketFrame(fin: true, opcode: .connectionClose, data: code))
                    return
                }
            }
        } catch {
            return
        }
    }

    static func textFrame(_ text: String) -> WebSocketFrame {
        WebSocketFrame(fin: true, opcode: .text, data: ByteBuffer(string: text))
    }
}
