import HTTPTypes
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import HummingbirdWebSocket
import Logging
import NIOCore
import NIOSSL
import NIOWebSocket
import Synchronization

// This file deliberately does not import BridgeTransport (WSCore exports its own WebSocketMessage).

/// Runs the WebSocket test application on 127.0.0.1 (ephemeral port) while `body` runs; `body` gets the port.
///
/// Routes:
/// - `/echo`: echoes every text and binary message.
/// - `/headers`: sends one text message `authorization=<value>;x-domain-name=<value>` with the upgrade request's
///   headers, then echoes.
/// - `/server-close`: sends `bye`, then closes with code 4000 and reason `server says bye`.
/// - `/fragmented`: sends `part one, part two, part three` as a three-frame text message.
func withTestWebSocketServer<Result: Sendable>(
    tls: TestServerTLS = .none,
    _ body: @Sendable (Int) async throws -> Result
) async throws -> Result {
    let (portStream, portContinuation) = AsyncStream.makeStream(of: Int.self)
    let router = Router(context: BasicWebSocketRequestContext.self)

    router.ws("/echo") { inbound, outbound, _ in
        try await echoMessages(inbound, outbound)
    }
    router.ws("/headers") { inbound, outbound, context in
        let headers = context.request.headers
        let authorization = headers[.authorization] ?? "-"
        let domain = headers[HTTPField.Name("x-domain-name")!] ?? "-"
        try await outbound.write(.text("authorization=\(authorization);x-domain-name=\(domain)"))
        try await echoMessages(inbound, outbound)
    }
    router.ws("/server-close") { _, outbound, _ in
        try await outbound.write(.text("bye"))
        try await outbound.close(.unknown(4000), reason: "server says bye")
    }
    router.ws("/fragmented") { inbound, outbound, _ in
        try await outbound.withTextMessageWriter { write in
            try await write("part one, ")
            try await write("part two, ")
            try await write("part three")
        }
        try await echoMessages(inbound, outbound)
    }

    var logger = Logger(label: "test-websocket-server")
    logger.logLevel = .critical
    let base = HTTPServerBuilder.http1WebSocketUpgrade(
        webSocketRouter: router, configuration: .init(ws: .init(maxFrameSize: 1 << 20)))
    let serverBuilder: HTTPServerBuilder
    if let tlsConfiguration = try tls.nioConfiguration() {
        serverBuilder = try .tls(base, tlsConfiguration: tlsConfiguration)
    } else {
        serverBuilder = base
    }
    let app = Application(
        router: Router(),
        server: serverBuilder,
        configuration: .init(address: .hostname("127.0.0.1", port: 0)),
        onServerRunning: { channel in
            portContinuation.yield(channel.localAddress?.port ?? -1)
            portContinuation.finish()
        },
        logger: logger
    )
    return try await withRunningService(app, logger: logger) {
        var ports = portStream.makeAsyncIterator()
        guard let port = await ports.next() else { throw TestServerError.didNotStart }
        return try await body(port)
    }
}

private func echoMessages(_ inbound: WebSocketInboundStream, _ outbound: WebSocketOutboundWriter) async throws {
    for try await message in inbound.messages(maxSize: 1 << 20) {
        switch message {
        case .text(let text): try await outbound.write(.text(text))
        case .binary(let buffer): try await outbound.write(.binary(buffer))
        }
    }
}
