import Foundation
import Testing

@testable import BridgeTransport

@Suite("HTTPClient over plain HTTP")
struct HTTPClientTests {
    @Test(arguments: [HTTPMethod.post, .put, .patch, .delete])
    func methodsWithBodiesAndHeadersRoundTrip(method: HTTPMethod) async throws {
        try await withTestHTTPServer { server in
            try await withHTTPClient { client in
                let body = Array("payload for \(method)".utf8)
                let response = try await client.execute(
                    HTTPRequest(
                        method: method, url: "http://127.0.0.1:\(server.port)/echo",
                        headers: ["X-Test-Trace": "abc-123", "Content-Type": "application/json"], body: body))
                #expect(response.status == 200)
                #expect(response.headers["x-echo-method"] == method.rawValue)
                #expect(response.headers["X-ECHO-X-TEST-TRACE"] == "abc-123")
                #expect(response.headers["x-echo-content-length"] == String(body.count))
                #expect(response.body == body)
            }
        }
    }

    @Test func getSendsNoBodyAndReceivesRepeatedHeaders() async throws {
        try await withTestHTTPServer { server in
            try await withHTTPClient { client in
                let response = try await client.execute(
                    HTTPRequest(url: "http://127.0.0.1:\(server.port)/echo", headers: ["x-test-empty": ""]))
                #expect(response.status == 200)
                #expect(response.headers["x-echo-method"] == "GET")
                #expect(response.headers.values(for: "X-Multi") == ["one", "two"])
                #expect(response.headers["x-echo-x-test-empty"] == "")
                #expect(response.body.isEmpty)
            }
        }
    }

    @Test func postWithoutBodySendsZeroContentLength() async throws {
        try await withTestHTTPServer { server in
            try await withHTTPClient { client in
                let response = try await client.execute(
                    HTTPRequest(method: .post, url: "http://127.0.0.1:\(server.port)/echo"))
                #expect(response.headers["x-echo-content-length"] == "0")
            }
        }
    }

    @Test func largeBodiesRoundTripUnchanged() async throws {
        try await withTestHTTPServer { server in
            try await withHTTPClient { client in
                let body = (0..<(3 * 1024 * 1024)).map { UInt8(truncatingIfNeeded: $0 &* 31) }
                let response = try await client.execute(
                    HTTPRequest(method: .put, url: "http://127.0.0.1:\(server.port)/echo", body: body))
                #expect(response.body == body)
            }
        }
    }

    @Test func nonSuccessStatusesAreResponsesNotErrors() async throws {
        try await withTestHTTPServer { server in
            try await withHTTPClient { client in
                let notFound = try await client.execute(HTTPRequest(url: "http://127.0.0.1:\(server.port)/status/404"))
                let conflict = try await client.execute(HTTPRequest(url: "http://127.0.0.1:\(server.port)/status/409"))
                #expect(notFound.status == 404)
                #expect(conflict.status == 409)
            }
        }
    }

    @Test func sequentialRequestsReuseTheKeptAliveConnection() async throws {
        try await withTestHTTPServer { server in
            try await withHTTPClient { client in
                var responses: [HTTPResponse] = []
                for _ in 0..<3 {
                    responses.append(
                        try await client.execute(HTTPRequest(url: "http://127.0.0.1:\(server.port)/connection")))
                }
                #expect(responses.map(\.connectionReused) == [false, true, true])
                // The server saw the same client port every time: one TCP connection.
                #expect(Set(responses.map(\.bodyText)).count == 1)
            }
        }
    }

    @Test func requestTimeoutFailsWithTimedOut() async throws {
        try await withTestHTTPServer { server in
            try await withHTTPClient { client in
                let error = await #expect(throws: TransportError.self) {
                    try await client.execute(
                        HTTPRequest(url: "http://127.0.0.1:\(server.port)/slow", timeout: .milliseconds(200)))
                }
                #expect(error?.code == .timedOut)
                #expect(error?.operation == "GET")
                #expect(error?.curlCode == 28)
                server.slowGate.open()
            }
        }
    }

    @Test func configuredDefaultTimeoutApplies() async throws {
        try await withTestHTTPServer { server in
            try await withHTTPClient(.init(requestTimeout: .milliseconds(200))) { client in
                let error = await #expect(throws: TransportError.self) {
                    try await client.execute(HTTPRequest(url: "http://127.0.0.1:\(server.port)/slow"))
                }
                #expect(error?.code == .timedOut)
                server.slowGate.open()
            }
        }
    }

    @Test func refusedConnectionIsAConnectFailedError() async throws {
        let port = try unusedLoopbackPort()
        try await withHTTPClient { client in
            let error = await #expect(throws: TransportError.self) {
                try await client.execute(HTTPRequest(url: "http://127.0.0.1:\(port)/api?token=hunter2"))
            }
            #expect(error?.code == .connectFailed)
            #expect(error?.curlCode == 7)
            #expect(error?.url == "http://127.0.0.1:\(port)/api?token=REDACTED")
            #expect(error?.description.contains("connection failed") == true)
            #expect(error?.description.contains("hunter2") == false)
        }
    }

    @Test func invalidHeadersAreRejectedBeforeSending() async throws {
        try await withHTTPClient { client in
            let error = await #expect(throws: TransportError.self) {
                try await client.execute(
                    HTTPRequest(url: "http://127.0.0.1:1/", headers: ["X-Bad": "value\r\nInjected: yes"]))
            }
            #expect(error?.code == .invalidRequest)
        }
    }

    @Test func unsupportedSchemesAreRejected() async throws {
        try await withHTTPClient { client in
            let error = await #expect(throws: TransportError.self) {
                try await client.execute(HTTPRequest(url: "file:///etc/passwd"))
            }
            #expect(error?.code == .invalidRequest)
        }
    }

    @Test func cancellingTheCallerAbortsTheRequestInFlight() async throws {
        try await withTestHTTPServer { server in
            try await withHTTPClient { client in
                let request = Task {
                    try await client.execute(
                        HTTPRequest(url: "http://127.0.0.1:\(server.port)/slow", timeout: .seconds(60)))
                }
                await server.slowGate.waitForArrival()
                request.cancel()
                let error = await #expect(throws: TransportError.self) { try await request.value }
                #expect(error?.code == .cancelled)
                server.slowGate.open()
            }
        }
    }

    @Test func anAlreadyCancelledCallerNeverSendsTheRequest() async throws {
        try await withTestHTTPServer { server in
            try await withHTTPClient { client in
                let request = Task {
                    withUnsafeCurrentTask { $0?.cancel() }
                    return try await client.execute(HTTPRequest(url: "http://127.0.0.1:\(server.port)/flaky"))
                }
                let error = await #expect(throws: TransportError.self) { try await request.value }
                #expect(error?.code == .cancelled)
                #expect(server.flakyRequestCount == 0)
            }
        }
    }

    @Test func twoHundredConcurrentRequestsAllCompleteWithTheirOwnBodies() async throws {
        try await withTestHTTPServer { server in
            try await withHTTPClient { client in
                try await withThrowingTaskGroup(of: (Int, HTTPResponse).self) { group in
                    for index in 0..<200 {
                        group.addTask {
                            let response = try await client.execute(
                                HTTPRequest(
                                    method: .post, url: "http://127.0.0.1:\(server.port)/echo",
                                    headers: ["x-test-index": String(index)], body: Array("request \(index)".utf8)))
                            return (index, response)
                        }
                    }
                    var seen = Set<Int>()
                    for try await (index, response) in group {
                        #expect(response.status == 200)
                        #expect(response.bodyText == "request \(index)")
                        #expect(response.headers["x-echo-x-test-index"] == String(index))
                        seen.insert(index)
                    }
                    #expect(seen.count == 200)
                }
            }
        }
    }

    @Test func requestsAfterShutdownFailWithShutdown() async throws {
        let client = HTTPClient()
        await client.shutdown()
        await client.shutdown()  // idempotent
        let error = await #expect(throws: TransportError.self) {
            try await client.execute(HTTPRequest(url: "http://127.0.0.1:1/"))
        }
        #expect(error?.code == .shutdown)
    }

    @Test func shutdownFailsRequestsInFlight() async throws {
        try await withTestHTTPServer { server in
            let client = HTTPClient()
            let request = Task {
                try await client.execute(
                    HTTPRequest(url: "http://127.0.0.1:\(server.port)/slow", timeout: .seconds(60)))
            }
            await server.slowGate.waitForArrival()
            await client.shutdown()
            let error = await #expect(throws: TransportError.self) { try await request.value }
            #expect(error?.code == .shutdown)
            server.slowGate.open()
        }
    }
}

/// Runs `body` with a fresh client and shuts it down afterwards (also when `body` throws).
func withHTTPClient<Result>(
    _ configuration: HTTPClient.Configuration = .init(),
    _ body: (HTTPClient) async throws -> Result
) async throws -> Result {
    let client = HTTPClient(configuration: configuration)
    do {
        let result = try await body(client)
        await client.shutdown()
        return result
    } catch {
        await client.shutdown()
        throw error
    }
}

/// A loopback TCP port nobody listens on (bound once by the kernel's ephemeral allocator, then released).
func unusedLoopbackPort() throws -> Int {
    let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard descriptor >= 0 else { throw POSIXError(.EIO) }
    defer { close(descriptor) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = 0
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
            bind(descriptor, pointer, length) == 0 && getsockname(descriptor, pointer, &length) == 0
        }
    }
    guard bound else { throw POSIXError(.EADDRINUSE) }
    return Int(UInt16(bigEndian: address.sin_port))
}
