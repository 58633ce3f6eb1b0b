import Testing

@testable import BridgeTransport

@Suite("WebSocketClient against Hummingbird")
struct WebSocketClientTests {
    @Test func textAndBinaryMessagesEcho() async throws {
        try await withTestWebSocketServer { port in
            try await withWebSocketClient { client in
                let connection = try await client.connect(url: "ws://127.0.0.1:\(port)/echo")
                var messages = connection.messages.makeAsyncIterator()
                try await connection.send(text: "hello, mesh")
                #expect(try await messages.next() == .text("hello, mesh"))
                try await connection.send(binary: [0, 1, 2, 255])
                #expect(try await messages.next() == .binary([0, 1, 2, 255]))
                let large = String(repeating: "0123456789abcdef", count: 8192)  // 128 KiB, many frames/reads
                try await connection.send(text: large)
                #expect(try await messages.next() == .text(large))
                await connection.close()
            }
        }
    }

    @Test func customHeadersReachTheServer() async throws {
        try await withTestWebSocketServer { port in
            try await withWebSocketClient { client in
                let token = String(repeating: "t", count: 2048)  // service-account tokens are long
                let connection = try await client.connect(
                    url: "ws://127.0.0.1:\(port)/headers",
                    headers: [("Authorization", "Bearer \(token)"), ("X-Domain-Name", "default")])
                var messages = connection.messages.makeAsyncIterator()
                #expect(try await messages.next() == .text("authorization=Bearer \(token);x-domain-name=default"))
                await connection.close()
            }
        }
    }

    @Test func serverInitiatedCloseFinishesTheStreamWithTheCloseStatus() async throws {
        try await withTestWebSocketServer { port in
            try await withWebSocketClient { client in
                let connection = try await client.connect(url: "ws://127.0.0.1:\(port)/server-close")
                var received: [WebSocketMessage] = []
                for try await message in connection.messages {
                    received.append(message)
                }
                #expect(received == [.text("bye")])
                #expect(
                    connection.peerCloseStatus
                        == WebSocketCloseStatus(code: WebSocketCloseCode(rawValue: 4000), reason: "server says bye"))
            }
        }
    }

    @Test func fragmentedMessagesAreReassembled() async throws {
        try await withTestWebSocketServer { port in
            try await withWebSocketClient { client in
                let connection = try await client.connect(url: "ws://127.0.0.1:\(port)/fragmented")
                var messages = connection.messages.makeAsyncIterator()
                #expect(try await messages.next() == .text("part one, part two, part three"))
                await connection.close()
            }
        }
    }

    @Test func clientCloseFinishesTheStreamNormally() async throws {
        try await withTestWebSocketServer { port in
            try await withWebSocketClient { client in
                let connection = try await client.connect(url: "ws://127.0.0.1:\(port)/echo")
                await connection.close(code: .normalClosure, reason: "done")
                var count = 0
                for try await _ in connection.messages { count += 1 }
                #expect(count == 0)
                let error = await #expect(throws: TransportError.self) { try await connection.send(text: "late") }
                #expect(error?.code == .connectionClosed)
            }
        }
    }

    @Test func refusedConnectionIsAConnectFailedError() async throws {
        let port = try unusedLoopbackPort()
        try await withWebSocketClient { client in
            let error = await #expect(throws: TransportError.self) {
                try await client.connect(url: "ws://127.0.0.1:\(port)/watch?token=secret")
            }
            #expect(error?.code == .connectFailed)
            #expect(error?.url == "ws://127.0.0.1:\(port)/watch?token=REDACTED")
        }
    }

    @Test func malformedURLsAreRejected() async throws {
        try await withWebSocketClient { client in
            for url in ["http://127.0.0.1/", "ws://", "ws://user:pw@host/", "ws://host:99999/"] {
                let error = await #expect(throws: TransportError.self) { try await client.connect(url: url) }
                #expect(error?.code == .invalidRequest)
            }
        }
    }

    @Test func manyConnectionsCanBeOpenAtOnce() async throws {
        try await withTestWebSocketServer { port in
            try await withWebSocketClient { client in
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for index in 0..<20 {
                        group.addTask {
                            let connection = try await client.connect(url: "ws://127.0.0.1:\(port)/echo")
                            var messages = connection.messages.makeAsyncIterator()
                            try await connection.send(text: "connection \(index)")
                            #expect(try await messages.next() == .text("connection \(index)"))
                            await connection.close()
                        }
                    }
                    try await group.waitForAll()
                }
            }
        }
    }

    @Test func shutdownEndsOpenConnectionsWithShutdown() async throws {
        try await withTestWebSocketServer { port in
            let client = try WebSocketClient()
            let connection = try await client.connect(url: "ws://127.0.0.1:\(port)/echo")
            await client.shutdown()
            let error = await #expect(throws: TransportError.self) {
                for try await _ in connection.messages {}
            }
            #expect(error?.code == .shutdown)
            let late = await #expect(throws: TransportError.self) {
                try await client.connect(url: "ws://127.0.0.1:\(port)/echo")
            }
            #expect(late?.code == .shutdown)
        }
    }
}

@Suite("WebSocketClient over TLS")
struct WebSocketTLSTests {
    @Test(arguments: [
        TLSConfiguration(trustRoots: .file(path: TestFixtures.tls("ca.pem"))),
        TLSConfiguration(insecureSkipVerify: true),
    ])
    func wssEchoesWithVerificationOrTheInsecureSwitch(tls: TLSConfiguration) async throws {
        try await withTestWebSocketServer(tls: .serverOnly) { port in
            try await withWebSocketClient { client in
                let connection = try await client.connect(url: "wss://127.0.0.1:\(port)/echo", tls: tls)
                var messages = connection.messages.makeAsyncIterator()
                try await connection.send(text: "over tls")
                #expect(try await messages.next() == .text("over tls"))
                await connection.close()
            }
        }
    }

    @Test func wssVerifiesTheServerByHostNameWithAnInMemoryCA() async throws {
        try await withTestWebSocketServer(tls: .serverOnly) { port in
            try await withWebSocketClient { client in
                let tls = TLSConfiguration(trustRoots: .pem(try TestFixtures.tlsBytes("ca.pem")))
                let connection = try await client.connect(url: "wss://localhost:\(port)/echo", tls: tls)
                var messages = connection.messages.makeAsyncIterator()
                try await connection.send(text: "named host")
                #expect(try await messages.next() == .text("named host"))
                await connection.close()
            }
        }
    }

    @Test func wssRejectsAServerWithoutItsCA() async throws {
        try await withTestWebSocketServer(tls: .serverOnly) { port in
            try await withWebSocketClient { client in
                let error = await #expect(throws: TransportError.self) {
                    try await client.connect(url: "wss://127.0.0.1:\(port)/echo")
                }
                #expect(error?.code == .tls)
            }
        }
    }

    @Test func wssPresentsAClientCertificateFromPEMBlobs() async throws {
        try await withTestWebSocketServer(tls: .clientCertificateRequired) { port in
            try await withWebSocketClient { client in
                let tls = TLSConfiguration(
                    trustRoots: .pem(try TestFixtures.tlsBytes("ca.pem")),
                    clientCertificate: .pem(try TestFixtures.tlsBytes("client.pem")),
                    clientPrivateKey: .pem(try TestFixtures.tlsBytes("client.key")))
                let connection = try await client.connect(url: "wss://127.0.0.1:\(port)/echo", tls: tls)
                var messages = connection.messages.makeAsyncIterator()
                try await connection.send(text: "mutual")
                #expect(try await messages.next() == .text("mutual"))
                await connection.close()
            }
        }
    }

    @Test func wssPresentsAClientCertificateFromFiles() async throws {
        try await withTestWebSocketServer(tls: .clientCertificateRequired) { port in
            try await withWebSocketClient { client in
                let tls = TLSConfiguration(
                    trustRoots: .file(path: TestFixtures.tls("ca.pem")),
                    clientCertificate: .file(path: TestFixtures.tls("client.pem")),
                    clientPrivateKey: .file(path: TestFixtures.tls("client.key")))
                let connection = try await client.connect(url: "wss://127.0.0.1:\(port)/echo", tls: tls)
                var messages = connection.messages.makeAsyncIterator()
                try await connection.send(text: "mutual")
                #expect(try await messages.next() == .text("mutual"))
                await connection.close()
            }
        }
    }

    @Test func wssWithoutAClientCertificateIsRefusedByAServerThatRequiresOne() async throws {
        try await withTestWebSocketServer(tls: .clientCertificateRequired) { port in
            try await withWebSocketClient { client in
                let tls = TLSConfiguration(trustRoots: .file(path: TestFixtures.tls("ca.pem")))
                await #expect(throws: TransportError.self) {
                    let connection = try await client.connect(url: "wss://127.0.0.1:\(port)/echo", tls: tls)
                    // With TLS 1.3 the server's verdict can arrive after the client considers the handshake done.
                    for try await _ in connection.messages {}
                }
            }
        }
    }
}

/// Runs `body` with a fresh client and shuts it down afterwards (also when `body` throws).
func withWebSocketClient<Result>(
    _ configuration: WebSocketClient.Configuration = .init(),
    _ body: (WebSocketClient) async throws -> Result
) async throws -> Result {
    let client = try WebSocketClient(configuration: configuration)
    do {
        let result = try await body(client)
        await client.shutdown()
        return result
    } catch {
        await client.shutdown()
        throw error
    }
}
