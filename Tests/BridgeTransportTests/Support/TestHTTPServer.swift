import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import NIOCore
import NIOSSL
import ServiceLifecycle
import Synchronization

// This file deliberately does not import BridgeTransport: Hummingbird exports its own HTTPRequest/HTTPResponse.

/// How the test server terminates TLS.
enum TestServerTLS: Sendable {
    /// Plain HTTP.
    case none
    /// HTTPS with the fixture server certificate.
    case serverOnly
    /// HTTPS that requires a client certificate signed by the fixture CA.
    case clientCertificateRequired

    func nioConfiguration() throws -> NIOSSL.TLSConfiguration? {
        guard self != .none else { return nil }
        let chain = try NIOSSLCertificate.fromPEMFile(TestFixtures.tls("server.pem")).map {
            NIOSSLCertificateSource.certificate($0)
        }
        let key = try NIOSSLPrivateKey(file: TestFixtures.tls("server.key"), format: .pem)
        var configuration = NIOSSL.TLSConfiguration.makeServerConfiguration(
            certificateChain: chain, privateKey: .privateKey(key))
        if self == .clientCertificateRequired {
            configuration.certificateVerification = .noHostnameVerification
            configuration.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(TestFixtures.tls("ca.pem")))
        }
        return configuration
    }
}

/// A request context that remembers the client's TCP port, so tests can tell connections apart.
struct ConnectionAwareContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let remotePort: Int

    init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.remotePort = source.channel.remoteAddress?.port ?? -1
    }
}

/// A one-shot barrier a handler can wait on until the test opens it; ``arrivals`` yields whenever a handler
/// starts waiting, so a test knows its request reached the server.
final class Gate: Sendable {
    private let state = Mutex<(open: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))
    let arrivals: AsyncStream<Void>
    private let arrivalsContinuation: AsyncStream<Void>.Continuation

    init() {
        (self.arrivals, self.arrivalsContinuation) = AsyncStream.makeStream(of: Void.self)
    }

    func wait() async {
        self.arrivalsContinuation.yield()
        await withCheckedContinuation { continuation in
            let resumeNow = self.state.withLock { state in
                if state.open { return true }
                state.waiters.append(continuation)
                return false
            }
            if resumeNow { continuation.resume() }
        }
    }

    /// Waits until a handler has arrived at the gate.
    func waitForArrival() async {
        var iterator = self.arrivals.makeAsyncIterator()
        _ = await iterator.next()
    }

    func open() {
        let waiters = self.state.withLock { state in
            state.open = true
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }
}

/// Observable state of a running ``TestHTTPServer``.
final class TestHTTPServer: Sendable {
    let port: Int
    let slowGate = Gate()
    /// Yields once per `/stream-forever` response whose client went away.
    let abortedStreams: AsyncStream<Void>
    fileprivate let abortedStreamsContinuation: AsyncStream<Void>.Continuation
    private let flakyRequests = Mutex(0)

    fileprivate init(port: Int, aborted: (AsyncStream<Void>, AsyncStream<Void>.Continuation)) {
        self.port = port
        self.abortedStreams = aborted.0
        self.abortedStreamsContinuation = aborted.1
    }

    fileprivate func nextFlakyRequestNumber() -> Int {
        self.flakyRequests.withLock {
            $0 += 1
            return $0
        }
    }

    /// How many `/flaky` requests arrived.
    var flakyRequestCount: Int { self.flakyRequests.withLock { $0 } }
}

/// Runs the HTTP test application on 127.0.0.1 (ephemeral port) while `body` runs.
///
/// Routes:
/// - `/echo` (any method): body echoed; `x-echo-method`; every `x-test-*` request header echoed as
///   `x-echo-x-test-*`; two `x-multi` response headers.
/// - `/connection`: the client's TCP port as the body.
/// - `/slow`: answers only after ``TestHTTPServer/slowGate`` opens.
/// - `/stream?count=N`: N chunks `chunk-<i>\n`, flushed separately.
/// - `/stream-forever`: a chunk every 10 ms until the client goes away (then ``TestHTTPServer/abortedStreams``
///   yields).
/// - `/flaky?failures=N&retryAfter=S`: the first N requests get 503 (with `Retry-After: S` if given), then 200.
/// - `/status/{code}`: an empty response with that status.
func withTestHTTPServer<Result: Sendable>(
    tls: TestServerTLS = .none,
    _ body: @Sendable (TestHTTPServer) async throws -> Result
) async throws -> Result {
    let (portStream, portContinuation) = AsyncStream.makeStream(of: Int.self)
    let server = Mutex<TestHTTPServer?>(nil)
    let aborted = AsyncStream.makeStream(of: Void.self)
    let router = Router(context: ConnectionAwareContext.self)
    let serverReference: @Sendable () -> TestHTTPServer = { server.withLock { $0! } }

    router.on("/echo", method: .get, use: echo)
    router.on("/echo", method: .post, use: echo)
    router.on("/echo", method: .put, use: echo)
    router.on("/echo", method: .patch, use: echo)
    router.on("/echo", method: .delete, use: echo)
    router.on("/echo", method: .head, use: echo)
    router.get("/connection") { _, context in
        "\(context.remotePort)"
    }
    router.get("/slow") { _, _ in
        await serverReference().slowGate.wait()
        return "finally"
    }
    router.get("/stream") { request, _ in
        let count = request.uri.queryParameters.get("count", as: Int.self) ?? 3
        return Response(
            status: .ok,
            body: ResponseBody { writer in
                for index in 0..<count {
                    try await writer.write(ByteBuffer(string: "chunk-\(index)\n"))
                }
                try await writer.finish(nil)
            })
    }
    router.get("/stream-forever") { _, _ in
        let server = serverReference()
        return Response(
            status: .ok,
            body: ResponseBody { writer in
                defer { server.abortedStreamsContinuation.yield() }
                var index = 0
                while true {
                    try await writer.write(ByteBuffer(string: "tick-\(index)\n"))
                    index += 1
                    try await Task.sleep(for: .milliseconds(10))
                }
            })
    }
    @Sendable func flaky(request: Request, context: ConnectionAwareContext) async throws -> Response {
        let failures = request.uri.queryParameters.get("failures", as: Int.self) ?? 0
        let number = serverReference().nextFlakyRequestNumber()
        guard number > failures else {
            var headers = HTTPFields()
            if let retryAfter = request.uri.queryParameters.get("retryAfter") {
                headers[.retryAfter] = String(retryAfter)
            }
            return Response(status: .serviceUnavailable, headers: headers)
        }
        return Response(status: .ok, body: ResponseBody(byteBuffer: ByteBuffer(string: "recovered after \(number)")))
    }
    router.on("/flaky", method: .get, use: flaky)
    router.on("/flaky", method: .post, use: flaky)
    router.get("/status/{code}") { _, context in
        let code = try context.parameters.require("code", as: Int.self)
        return Response(status: .init(code: code))
    }

    var logger = Logger(label: "test-http-server")
    logger.logLevel = .critical
    let serverBuilder: HTTPServerBuilder
    if let tlsConfiguration = try tls.nioConfiguration() {
        serverBuilder = try .tls(.http1(), tlsConfiguration: tlsConfiguration)
    } else {
        serverBuilder = .http1()
    }
    let app = Application(
        router: router,
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
        let running = TestHTTPServer(port: port, aborted: aborted)
        server.withLock { $0 = running }
        return try await body(running)
    }
}

enum TestServerError: Error {
    case didNotStart
}

/// Runs `service` in a service group while `body` runs, then shuts it down gracefully.
func withRunningService<Result: Sendable>(
    _ service: some Service,
    logger: Logger,
    _ body: @Sendable () async throws -> Result
) async throws -> Result {
    let group = ServiceGroup(
        configuration: .init(services: [service], gracefulShutdownSignals: [], logger: logger))
    return try await withThrowingTaskGroup(of: Result?.self) { tasks in
        tasks.addTask {
            try await group.run()
            return nil
        }
        do {
            let result = try await body()
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
            return result
        } catch {
            await group.triggerGracefulShutdown()
            try? await tasks.waitForAll()
            throw error
        }
    }
}

@Sendable
private func echo(request: Request, context: ConnectionAwareContext) async throws -> Response {
    var headers = HTTPFields()
    headers[HTTPField.Name("x-echo-method")!] = request.method.rawValue
    for field in request.headers where field.name.canonicalName.hasPrefix("x-test-") {
        headers.append(HTTPField(name: HTTPField.Name("x-echo-" + field.name.canonicalName)!, value: field.value))
    }
    if let contentLength = request.headers[.contentLength] {
        headers[HTTPField.Name("x-echo-content-length")!] = contentLength
    }
    headers.append(HTTPField(name: HTTPField.Name("x-multi")!, value: "one"))
    headers.append(HTTPField(name: HTTPField.Name("x-multi")!, value: "two"))
    let body = try await request.body.collect(upTo: 16 * 1024 * 1024)
    return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: body))
}
