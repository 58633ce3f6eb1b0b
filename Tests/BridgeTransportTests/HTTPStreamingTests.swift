import Testing

@testable import BridgeTransport

@Suite("HTTPClient streaming responses")
struct HTTPStreamingTests {
    @Test func headArrivesFirstAndChunksCarryTheWholeBody() async throws {
        try await withTestHTTPServer { server in
            try await withHTTPClient { client in
                let response = try await client.stream(
                    HTTPRequest(url: "http://127.0.0.1:\(server.port)/stream?count=50"))
                #expect(response.status == 200)
                #expect(response.headers["transfer-encoding"] == "chunked")
                var received: [UInt8] = []
                for try await chunk in response.body {
                    received += chunk
                }
                let expected = (0..<50).map { "chunk-\($0)\n" }.joined()
                #expect(String(decoding: received, as: UTF8.self) == expected)
            }
        }
    }

    @Test func errorStatusesStillStream() async throws {
        try await withTestHTTPServer { server in
            try await withHTTPClient { client in
                let response = try await client.stream(HTTPRequest(url: "http://127.0.0.1:\(server.port)/status/410"))
                #expect(response.status == 410)
                var chunks = 0
                for try await _ in response.body { chunks += 1 }
                #expect(chunks == 0)
            }
        }
    }

    @Test func cancellingTheConsumerAbortsTheTransfer() async throws {
        try await withTestHTTPServer { server in
            try await withHTTPClient { client in
                let response = try await client.stream(
                    HTTPRequest(url: "http://127.0.0.1:\(server.port)/stream-forever"))
                let (firstTicks, firstTicksContinuation) = AsyncStream.makeStream(of: String.self)
                let consumer = Task {
                    var text = ""
                    for try await chunk in response.body {
                        text += String(decoding: chunk, as: UTF8.self)
                        if text.contains("tick-2\n") { firstTicksContinuation.yield(text) }
                    }
                }
                var iterator = firstTicks.makeAsyncIterator()
                let text = await iterator.next()
                #expect(text?.hasPrefix("tick-0\ntick-1\ntick-2\n") == true)
                consumer.cancel()
                // The server's writer fails once the client has closed the connection.
                var aborted = server.abortedStreams.makeAsyncIterator()
                await aborted.next()
                _ = await consumer.result
            }
        }
    }

    @Test func droppingTheBodyStreamAbortsTheTransfer() async throws {
        try await withTestHTTPServer { server in
            try await withHTTPClient { client in
                do {
                    let response = try await client.stream(
                        HTTPRequest(url: "http://127.0.0.1:\(server.port)/stream-forever"))
                    #expect(response.status == 200)
                }
                var aborted = server.abortedStreams.makeAsyncIterator()
                await aborted.next()
            }
        }
    }

    @Test func headFailuresAreThrownFromStream() async throws {
        let port = try unusedLoopbackPort()
        try await withHTTPClient { client in
            let error = await #expect(throws: TransportError.self) {
                try await client.stream(HTTPRequest(url: "http://127.0.0.1:\(port)/watch"))
            }
            #expect(error?.code == .connectFailed)
        }
    }

    @Test func shutdownEndsAnOpenStreamWithAnError() async throws {
        try await withTestHTTPServer { server in
            let client = HTTPClient()
            let response = try await client.stream(HTTPRequest(url: "http://127.0.0.1:\(server.port)/stream-forever"))
            await client.shutdown()
            let error = await #expect(throws: TransportError.self) {
                for try await _ in response.body {}
            }
            #expect(error?.code == .shutdown)
        }
    }
}
