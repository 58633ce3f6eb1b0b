/// An HTTP/1.1 client built on the libcurl multi interface.
///
/// ```swift
/// let client = HTTPClient(configuration: .init(tls: .init(trustRoots: .file(path: "/etc/kubernetes/ca.crt"))))
/// let response = try await client.execute(HTTPRequest(url: "https://10.0.0.1:6443/version"))
/// await client.shutdown()
/// ```
///
/// ## Threading model
/// Each client owns one dedicated thread (see `CurlEventLoop`) that runs the libcurl multi handle; libcurl is never
/// called from Swift concurrency's cooperative threads. ``execute(_:)`` builds the easy handle on the caller's
/// thread, hands it to the loop through a lock-protected queue and wakes the loop with `curl_multi_wakeup`; the
/// loop resumes the caller's continuation when libcurl reports completion. All requests share the multi handle's
/// connection cache, so sequential requests to one host reuse a kept-alive connection
/// (``HTTPResponseHead/connectionReused``), and any number of requests can be in flight at once.
///
/// Cancelling the calling task aborts the transfer. Call ``shutdown()`` before dropping the client: it fails every
/// outstanding request with ``TransportError/Code/shutdown``, frees every handle and joins the thread. (A client
/// that is released without shutdown stops its thread in the background.)
public final class HTTPClient: Sendable {
    /// Settings that apply to every request of a client.
    public struct Configuration: Sendable {
        /// TLS verification and client certificate settings.
        public var tls: TLSConfiguration
        /// The deadline for establishing a TCP (and TLS) connection.
        public var connectTimeout: Duration
        /// The default whole-exchange deadline of ``HTTPClient/execute(_:)`` when the request sets none; `nil`
        /// waits indefinitely.
        public var requestTimeout: Duration?
        /// The most connections opened to one host at a time; further requests queue. `0` (the default) means
        /// unlimited, so that long-lived watch streams can never starve ordinary requests of connections.
        public var maxConnectionsPerHost: Int
        /// The size of the idle connection cache; `nil` keeps libcurl's default (4 × the transfers in use).
        public var maxCachedConnections: Int?
        /// The TCP keep-alive probe interval (idle time and probe spacing), so that a long watch on a silently
        /// vanished peer is eventually noticed; `nil` disables TCP keep-alive.
        public var tcpKeepAlive: Duration?
        /// An HTTP proxy URL. `nil` connects directly and ignores `http_proxy`-style environment variables.
        public var proxy: String?
        /// The `User-Agent` header sent unless a request sets its own.
        public var userAgent: String

        /// Creates a configuration.
        public init(
            tls: TLSConfiguration = TLSConfiguration(),
            connectTimeout: Duration = .seconds(10),
            requestTimeout: Duration? = .seconds(60),
            maxConnectionsPerHost: Int = 0,
            maxCachedConnections: Int? = nil,
            tcpKeepAlive: Duration? = .seconds(30),
            proxy: String? = nil,
            userAgent: String = "MeshBridge"
        ) {
            self.tls = tls
            self.connectTimeout = connectTimeout
            self.requestTimeout = requestTimeout
            self.maxConnectionsPerHost = maxConnectionsPerHost
            self.maxCachedConnections = maxCachedConnections
            self.tcpKeepAlive = tcpKeepAlive
            self.proxy = proxy
            self.userAgent = userAgent
        }
    }

    /// The configuration the client was created with.
    public let configuration: Configuration
    private let loop: CurlEventLoop

    /// Creates a client and starts its event loop thread.
    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
        self.loop = CurlEventLoop(configuration: configuration)
    }

    deinit {
        self.loop.shutdownDetached()
    }

    /// Sends `request` and returns the complete response. Any HTTP status is a response, not an error.
    ///
    /// - Throws: ``TransportError`` when no response could be obtained (connection, TLS, timeout, cancellation,
    ///   shutdown).
    public func execute(_ request: HTTPRequest) async throws -> HTTPResponse {
        let transfer = try CurlTransfer(
            request: request,
            timeout: request.timeout ?? self.configuration.requestTimeout,
            configuration: self.configuration
        )
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<HTTPResponse, any Error>) in
                transfer.delivery = .collect(continuation)
                if !self.loop.submit(transfer) {
                    transfer.complete(with: self.shutdownError(request))
                }
            }
        } onCancel: {
            self.loop.cancel(transfer)
        }
    }

    /// Sends `request` and returns as soon as the response head has arrived; the body follows as a stream of
    /// chunks. Meant for long-lived responses such as Kubernetes watches.
    ///
    /// The transfer has no deadline unless ``HTTPRequest/timeout`` is set. Cancelling the task that consumes
    /// ``HTTPStreamingResponse/body`` (or releasing the stream) aborts the transfer.
    ///
    /// - Throws: ``TransportError`` when the head could not be obtained.
    public func stream(_ request: HTTPRequest) async throws -> HTTPStreamingResponse {
        let transfer = try CurlTransfer(request: request, timeout: request.timeout, configuration: self.configuration)
        let (body, bodyContinuation) = AsyncThrowingStream.makeStream(of: [UInt8].self, throwing: (any Error).self)
        let loop = self.loop
        bodyContinuation.onTermination = { termination in
            if case .cancelled = termination {
                loop.cancel(transfer)
            }
        }
        let head = try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation {
                (continuation: CheckedContinuation<HTTPResponseHead, any Error>) in
                transfer.delivery = .stream(head: continuation, body: bodyContinuation)
                if !loop.submit(transfer) {
                    transfer.complete(with: self.shutdownError(request))
                }
            }
        } onCancel: {
            loop.cancel(transfer)
        }
        return HTTPStreamingResponse(head: head, body: body)
    }

    /// Fails outstanding requests with ``TransportError/Code/shutdown``, frees every libcurl handle and joins the
    /// event loop thread. Later requests fail with the same error. Safe to call more than once.
    public func shutdown() async {
        await self.loop.shutdown()
    }

    private func shutdownError(_ request: HTTPRequest) -> TransportError {
        TransportError(
            code: .shutdown, operation: request.method.rawValue, url: request.url,
            detail: "the HTTP client was shut down")
    }
}
