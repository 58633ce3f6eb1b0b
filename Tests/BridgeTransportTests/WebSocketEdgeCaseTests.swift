import Testing

@testable import BridgeTransport

@Suite("WebSocketClient against a misbehaving peer")
struct WebSocketEdgeCaseTests {
    @Test(arguments: [401, 403, 404, 503])
    func rejectedUpgradeReportsTheHTTPStatus(status: Int) async throws {
        try await EdgeWebSocketServer.with { server in
            try await withWebSocketClient { client in
                let error = await #expect(throws: TransportError.self) {
                    try await client.connect(url: "ws://127.0.0.1:\(server.port)/reject?status=\(status)")
                }
                #expect(error?.code == .upgradeRejected)
                #expect(error?.httpStatus == status)
                #expect(error?.description.contains("(HTTP \(status))") == true)
            }
        }
    }

    @Test func unansweredUpgradeHitsTheConnectTimeout() async throws {
        try await EdgeWebSocketServer.with { server in
            try await withWebSocketClient(.init(connectTimeout: .milliseconds(300))) { client in
                let error = await #expect(throws: TransportError.self) {
                    try await client.connect(url: "ws://127.0.0.1:\(server.port)/no-upgrade")
                }
                #expect(error?.code == .timedOut)
            }
        }
    }

    @Test func cancellingAPendingConnectAbortsIt() async throws {
        try await EdgeWebSocketServer.with { server in
            try await withWebSocketClient(.init(connectTimeout: .seconds(60))) { client in
                let connect = Task {
                    try await client.connect(url: "ws://127.0.0.1:\(server.port)/no-upgrade")
                }
                #expect(await server.nextEvent() == "UPGRADE REQUESTED")
                connect.cancel()
                let error = await #expect(throws: TransportError.self) { try await connect.value }
                #expect(error?.code == .cancelled)
            }
        }
    }

    @Test func peerDroppingTCPWithoutACloseFrameFailsTheStream() async throws {
        try await EdgeWebSocketServer.with { server in
            try await withWebSocketClient { client in
                let connection = try await client.connect(url: "ws://127.0.0.1:\(server.port)/drop")
                var received: [WebSocketMessage] = []
                let error = await #expect(throws: TransportError.self) {
                    for try await message in connection.messages { received.append(message) }
                }
                #expect(received == [.text("about to drop")])
                #expect(error?.code == .connectionClosed)
                #expect(connection.peerCloseStatus == nil)
            }
        }
    }

    @Test func silentPeerIsDetectedByTheIdleTimeout() async throws {
        try await EdgeWebSocketServer.with { server in
            try await withWebSocketClient { client in
                let connection = try await client.connect(
                    url: "ws://127.0.0.1:\(server.port)/silent", pingInterval: .milliseconds(100),
                    idleTimeout: .milliseconds(500))
                var received: [WebSocketMessage] = []
                let error = await #expect(throws: TransportError.self) {
                    for try await message in connection.messages { received.append(message) }
                }
                #expect(received == [.text("silent")])
                #expect(error?.code == .timedOut)
            }
        }
    }

    @Test func clientSendsPingsOnTheInterval() async throws {
        try await EdgeWebSocketServer.with { server in
            try await withWebSocketClient { client in
                let connection = try await client.connect(
                    url: "ws://127.0.0.1:\(server.port)/count-pings?n=3", pingInterval: .milliseconds(50),
                    idleTimeout: .seconds(30))
                var messages = connection.messages.makeAsyncIterator()
                #expect(try await messages.next() == .text("received 3 pings"))
                await connection.close()
            }
        }
    }

    @Test func answeredPingsKeepAnIdleConnectionAlive() async throws {
        try await EdgeWebSocketServer.with { server in
            try await withWebSocketClient { client in
                // Pings every 50 ms, idle limit 200 ms: only the server's pongs keep the connection alive until
                // the tenth ping has been answered.
                let connection = try await client.connect(
                    url: "ws://127.0.0.1:\(server.port)/count-pings?n=10", pingInterval: .milliseconds(50),
                    idleTimeout: .milliseconds(200))
                var messages = connection.messages.makeAsyncIterator()
                #expect(try await messages.next() == .text("received 10 pings"))
                await connection.close()
            }
        }
    }

    @Test func serverPingsAreAnsweredWithPongs() async throws {
        try await EdgeWebSocketServer.with { server in
            try await withWebSocketClient { client in
                let connection = try await client.connect(url: "ws://127.0.0.1:\(server.port)/server-ping")
                var messages = connection.messages.makeAsyncIterator()
                #expect(try await messages.next() == .text("pong:are-you-there"))
                await connection.close()
            }
        }
    }

    @Test func closeSendsTheCodeAndReasonAndCompletesTheHandshake() async throws {
        try await EdgeWebSocketServer.with { server in
            try await withWebSocketClient { client in
                let connection = try await client.connect(url: "ws://127.0.0.1:\(server.port)/close-report")
                var messages = connection.messages.makeAsyncIterator()
                try await connection.send(text: "before close")
                #expect(try await messages.next() == .text("before close"))
                await connection.close(code: WebSocketCloseCode(rawValue: 4001), reason: "watch finished")
                #expect(await server.nextEvent() == "CLOSE 4001 watch finished")
                #expect(try await messages.next() == nil)
                // The peer only acknowledged our close; it did not start one.
                #expect(connection.peerCloseStatus == nil)
            }
        }
    }

    @Test func cancellingTheConsumingTaskClosesTheSocket() async throws {
        try await EdgeWebSocketServer.with { server in
            try await withWebSocketClient { client in
                let connection = try await client.connect(url: "ws://127.0.0.1:\(server.port)/close-report")
                let (started, startedContinuation) = AsyncStream.makeStream(of: Void.self)
                let consumer = Task {
                    startedContinuation.yield()
                    for try await _ in connection.messages {}
                }
                var iterator = started.makeAsyncIterator()
                await iterator.next()
                consumer.cancel()
                #expect(await server.nextEvent() == "CLOSE 1001 ")
                _ = await consumer.result
            }
        }
    }

    @Test func fragmentedTextAndBinaryMessagesAreReassembled() async throws {
        try await EdgeWebSocketServer.with { server in
            try await withWebSocketClient { client in
                let connection = try await client.connect(url: "ws://127.0.0.1:\(server.port)/fragments")
                var messages = connection.messages.makeAsyncIterator()
                #expect(try await messages.next() == .text("alpha-beta-gamma"))
                #expect(try await messages.next() == .binary([1, 2, 3, 4]))
                await connection.close()
            }
        }
    }

    @Test func messagesAboveTheLimitFailTheStream() async throws {
        try await EdgeWebSocketServer.with { server in
            try await withWebSocketClient(.init(maxMessageSize: 10)) { client in
                let connection = try await client.connect(url: "ws://127.0.0.1:\(server.port)/fragments")
                let error = await #expect(throws: TransportError.self) {
                    for try await _ in connection.messages {}
                }
                #expect(error?.code == .protocolError)
                #expect(await server.nextEvent() == "CLOSE 1009 a message exceeded the limit of 10 bytes")
            }
        }
    }
}
