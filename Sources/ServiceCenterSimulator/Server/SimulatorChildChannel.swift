import HTTPTypes
import HummingbirdCore
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOHTTPTypes
import NIOHTTPTypesHTTP1
import NIOWebSocket

/// A Hummingbird child channel serving Service Center's HTTP API with the watch route upgradable to a WebSocket.
///
/// Unlike HummingbirdWebSocket's `HTTP1WebSocketUpgradeChannel`, the upgraded socket is handed over at frame level
/// (NIOWebSocket's typed upgrader), because
/// Service Center's watch protocol (no Close frame on refusal, Ping only until the client pings, read deadline
/// extended only by control frames) cannot be expressed through `WebSocketDataHandler`. Requests that are not
/// upgraded (including refused upgrades) are served by the ``ServiceCenterRouter``, which then produces the same
/// 401/500/400 answers Service Center gives.
struct SimulatorChildChannel: ServerChildChannel, HTTPChannelHandler {
    /// Who an upgraded socket watches for.
    struct WatchTarget: Sendable {
        var consumerId: String
        var tenant: Tenant
    }

    enum UpgradeResult: Sendable {
        case websocket(NIOAsyncChannel<WebSocketFrame, WebSocketFrame>, WatchTarget)
        case notUpgraded(NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>)
        /// An upgrade request that was declined. NIO's upgrade handler swallows such a request (it never reaches the
        /// HTTP pipeline), so it is answered from its recorded head.
        case declinedUpgrade(NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>, HTTPRequestHead)
    }

    /// Remembers the head of the first request that asked for an upgrade.
    private final class UpgradeHeadRecorder: ChannelInboundHandler, RemovableChannelHandler, Sendable {
        typealias InboundIn = HTTPServerRequestPart
        typealias InboundOut = HTTPServerRequestPart

        private let recorded = NIOLockedValueBox<HTTPRequestHead?>(nil)

        var head: HTTPRequestHead? { recorded.withLockedValue { $0 } }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let part = unwrapInboundIn(data)
            if case .head(let head) = part, !head.headers["upgrade"].isEmpty {
                recorded.withLockedValue { if $0 == nil { $0 = head } }
            }
            context.fireChannelRead(data)
            // Only the first request can be an upgrade. Leaving now also keeps this handler out of the way of
            // the WebSocket bytes that follow an upgrade.
            if case .end = part {
                context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
            }
        }
    }

    struct Value: ServerChildChannelValue {
        let upgradeResult: EventLoopFuture<UpgradeResult>
        let channel: any Channel
    }

    let core: SimulatorCore
    let router: ServiceCenterRouter
    let connections: ConnectionTracker
    let secure: Bool
    let responder: HTTPChannelHandler.Responder

    init(core: SimulatorCore, router: ServiceCenterRouter, connections: ConnectionTracker, secure: Bool) {
        self.core = core
        self.router = router
        self.connections = connections
        self.secure = secure
        self.responder = HTTPGlue.makeResponder(core: core, router: router)
    }

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        channel.eventLoop.makeCompletedFuture {
            connections.track(channel)
            let core = self.core
            let upgrader = NIOTypedWebSocketServerUpgrader<UpgradeResult>(
                maxFrameSize: 1 << 14,
                enableAutomaticErrorHandling: true,
                shouldUpgrade: { channel, head in
                    let promise = channel.eventLoop.makePromise(of: HTTPHeaders?.self)
                    promise.completeWithTask {
                        await Self.shouldUpgrade(head, channel: channel, core: core) ? HTTPHeaders() : nil
                    }
                    return promise.futureResult
                },
                upgradePipelineHandler: { channel, head in
                    channel.eventLoop.makeCompletedFuture {
                        let asyncChannel = try NIOAsyncChannel<WebSocketFrame, WebSocketFrame>(
                            wrappingChannelSynchronously: channel
                        )
                        return UpgradeResult.websocket(
                            asyncChannel, Self.watchTarget(head) ?? WatchTarget(consumerId: "", tenant: .default))
                    }
                }
            )
            let secure = self.secure
            let recorder = UpgradeHeadRecorder()
            let upgradeConfiguration = NIOTypedHTTPServerUpgradeConfiguration(
                upgraders: [upgrader],
                notUpgradingCompletionHandler: { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(HTTP1ToHTTPServerCodec(secure: secure))
                        try channel.pipeline.syncOperations.addHandler(
                            HTTPConnectionStateHandler(idleTimeout: nil, logger: logger)
                        )
                        let asyncChannel = try NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>(
                            wrappingChannelSynchronously: channel,
                            configuration: .init(isOutboundHalfClosureEnabled: true)
                        )
                        if let head = recorder.head { return UpgradeResult.declinedUpgrade(asyncChannel, head) }
                        return UpgradeResult.notUpgraded(asyncChannel)
                    }
                }
            )
            var pipelineConfiguration = NIOUpgradableHTTPServerPipelineConfiguration<UpgradeResult>(
                upgradeConfiguration: upgradeConfiguration
            )
            pipelineConfiguration.enablePipelining = false
            pipelineConfiguration.enableErrorHandling = false
            pipelineConfiguration.enableResponseHeaderValidation = false
            let negotiation = try channel.pipeline.syncOperations.configureUpgradableHTTPServerPipeline(
                configuration: pipelineConfiguration
            )
            let decoder = try channel.pipeline.syncOperations.handler(
                type: ByteToMessageHandler<HTTPRequestDecoder>.self)
            try channel.pipeline.syncOperations.addHandler(recorder, position: .after(decoder))
            return Value(upgradeResult: negotiation, channel: channel)
        }
    }

    func handle(value: Value, logger: Logger) async {
        do {
            switch try await value.upgradeResult.get() {
            case .notUpgraded(let http):
                await handleHTTP(asyncChannel: http, logger: logger)
            case .declinedUpgrade(let http, let head):
                await answerDeclinedUpgrade(head, on: http)
            case .websocket(let socket, let target):
                await WatchSession(consumerId: target.consumerId, tenant: target.tenant, core: core).run(socket)
            }
        } catch {
            logger.debug("connection ended during upgrade negotiation: \(error)")
        }
    }

    /// Decides an upgrade. Anything that Service Center would answer with an HTTP error before reaching gorilla's
    /// upgrader (fault, RBAC) is declined here and left to the router; only then is the request counted and
    /// delayed.
    /// Answers a declined upgrade request through the router (401 without token, 500 under a fault, 400 for an
    /// invalid handshake, or whatever the route answers) and closes the connection, as the upgrade consumed it.
    private func answerDeclinedUpgrade(
        _ head: HTTPRequestHead,
        on http: NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>
    ) async {
        var fields = HTTPFields()
        for header in head.headers {
            if let name = HTTPField.Name(header.name) { fields.append(HTTPField(name: name, value: header.value)) }
        }
        let parts = head.uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        let rawPath = parts.first.map(String.init) ?? ""
        let rawQuery = parts.count > 1 ? String(parts[1]) : ""
        let request = SimulatedRequest(
            method: head.method.rawValue,
            path: GoQuery.unescape(Substring(rawPath), plusIsSpace: false) ?? rawPath,
            query: GoQuery(rawQuery),
            rawQuery: rawQuery,
            headers: fields,
            body: []
        )
        var response = await router.respond(to: request, core: core)
        response.headers[.connection] = "close"
        let finished = HTTPGlue.finalize(response)
        do {
            try await http.executeThenClose { _, outbound in
                try await outbound.write(
                    contentsOf: [.head(finished.head), .body(ByteBuffer(bytes: response.body)), .end(nil)]
                )
            }
        } catch {
            core.logger.debug("answering a declined upgrade failed: \(error)")
        }
    }

    /// The decoded path of a request head.
    private static func decodedPath(_ head: HTTPRequestHead) -> String {
        let rawPath =
            head.uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
        return GoQuery.unescape(Substring(rawPath), plusIsSpace: false) ?? rawPath
    }

    /// Consumer and tenant of a watch request, or `nil` when the head is not the watch route.
    static func watchTarget(_ head: HTTPRequestHead) -> WatchTarget? {
        guard head.method == .GET, let parameters = ServiceCenterRouter.watchPattern.match(decodedPath(head)) else {
            return nil
        }
        let domain = head.headers.first(name: "X-Domain-Name") ?? ""
        let project = parameters["project"] ?? ""
        return WatchTarget(
            consumerId: parameters["serviceId"] ?? "",
            tenant: Tenant(domain: domain.isEmpty ? "default" : domain, project: project.isEmpty ? "default" : project)
        )
    }

    static func shouldUpgrade(_ head: HTTPRequestHead, channel: any Channel, core: SimulatorCore) async -> Bool {
        guard watchTarget(head) != nil else { return false }
        let path = decodedPath(head)
        let route = ServiceCenterRouter.watchPattern.text
        if core.faults.wouldFail(method: "GET", path: path, route: route) { return false }
        switch core.faults.watchRefusal {
        case .internalError: return false
        case .dropConnection:
            core.counters.increment(method: "GET", route: route)
            channel.close(promise: nil)
            return false
        case nil: break
        }
        if let tokens = core.tokens {
            do throws(ServiceCenterAPIError) {
                try tokens.verify(authorization: head.headers.first(name: "Authorization") ?? "")
            } catch {
                return false
            }
        }
        core.counters.increment(method: "GET", route: route)
        let delay = core.faults.latency(method: "GET", path: path, route: route)
        if delay > .zero { try? await Task.sleep(for: delay) }
        return true
    }
}
