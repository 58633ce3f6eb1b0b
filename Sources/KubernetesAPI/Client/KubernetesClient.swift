import BridgeKernel
import BridgeTransport
import CoreMetrics
import Foundation
import Logging

/// A small Kubernetes REST client over ``BridgeTransport/HTTPClient`` (libcurl): JSON objects in and out,
/// server-side apply, list, watch and delete, with client-side rate limiting, retries and token rotation.
///
/// Every request waits for a token of the client's ``RequestRateLimiter`` (QPS/burst), so one client is one
/// budget: give leader election its own client so lease renewals never queue behind bulk writes. Responses 429
/// and 5xx and connection failures are retried with exponential backoff and jitter, honouring `Retry-After`; a
/// 401 with a token file re-reads the file once (rotation). Other statuses throw ``KubernetesAPIError`` at once.
public final class KubernetesClient: Sendable {
    /// Client settings.
    public struct Configuration: Sendable {
        /// Requests per second (token refill rate); ≤ 0 disables client-side limiting.
        public var qps: Double
        /// Requests that may go at once.
        public var burst: Int
        /// Deadline of each non-watch request.
        public var requestTimeout: Duration
        /// Which failures are retried and how long to back off.
        public var retry: RetryPolicy
        /// The `User-Agent` header.
        public var userAgent: String
        /// The `client` dimension of the `meshbridge_kubernetes_requests_total` metric.
        public var metricsClient: String

        /// Creates settings; the defaults suit a controller writing a few hundred objects.
        public init(
            qps: Double = 20, burst: Int = 40, requestTimeout: Duration = .seconds(30),
            retry: RetryPolicy = KubernetesClient.defaultRetryPolicy, userAgent: String = "meshbridge",
            metricsClient: String = "bridge"
        ) {
            self.qps = qps
            self.burst = burst
            self.requestTimeout = requestTimeout
            self.retry = retry
            self.userAgent = userAgent
            self.metricsClient = metricsClient
        }
    }

    /// client-go's schedule: up to 10 attempts; 429, 5xx and connection failures; `Retry-After` honoured (up to
    /// 32 s, the apiserver's maximum); otherwise backoff from 0.5 s doubling to 30 s with jitter. Server-side
    /// apply and delete are safe to repeat, so they are retried too.
    public static let defaultRetryPolicy = RetryPolicy(
        maxAttempts: 10, initialBackoff: .milliseconds(500), maxBackoff: .seconds(30),
        maxRetryAfter: .seconds(32), retriesNonIdempotentRequests: true)

    /// One finished request, reported to the ``observer`` (metrics).
    public struct RequestRecord: Sendable, Hashable {
        /// The HTTP method.
        public var method: String
        /// The resource plural, when the request addressed one.
        public var resource: String
        /// The HTTP status; `nil` for transport failures.
        public var status: Int?
        /// The request path without the query (names the object for requests that address one).
        public var path: String
    }

    /// The connection in use.
    public let connection: ClusterConnection
    /// The settings in use.
    public let configuration: Configuration
    private let http: HTTPClient
    private let limiter: RequestRateLimiter
    private let tokens: BearerTokenProvider
    private let retryEnvironment: RetryEnvironment
    private let logger: Logger
    private let observer: (@Sendable (RequestRecord) -> Void)?

    /// Creates a client and its HTTP event loop.
    ///
    /// - Parameters:
    ///   - retryEnvironment: Sleep and randomness for retries (injectable for tests).
    ///   - observer: Called after every request attempt (for metrics).
    public init(
        connection: ClusterConnection, configuration: Configuration = Configuration(), logger: Logger,
        retryEnvironment: RetryEnvironment = .live, observer: (@Sendable (RequestRecord) -> Void)? = nil
    ) {
        self.connection = connection
        self.configuration = configuration
        self.http = HTTPClient(
            configuration: HTTPClient.Configuration(
                tls: connection.tls, requestTimeout: configuration.requestTimeout,
                userAgent: configuration.userAgent))
        self.limiter = RequestRateLimiter(qps: configuration.qps, burst: configuration.burst)
        self.tokens = BearerTokenProvider(credentials: connection.credentials)
        self.retryEnvironment = retryEnvironment
        self.logger = logger
        self.observer = observer
    }

    /// Stops the HTTP event loop; outstanding requests fail.
    public func shutdown() async {
        await http.shutdown()
    }

    // MARK: Verbs

    /// `GET` one object.
    public func get(_ resource: APIResource, namespace: String, name: String) async throws(KubernetesAPIError)
        -> JSONValue
    {
        try await json(.get, resource: resource, path: resource.objectPath(namespace: namespace, name: name))
    }

    /// Lists every object of `resource` in `namespace` (following `continue` tokens), optionally by label.
    public func list(_ resource: APIResource, namespace: String, labelSelector: String? = nil)
        async throws(KubernetesAPIError) -> ObjectList
    {
        var items: [JSONValue] = []
        var continueToken = ""
        var resourceVersion = ""
        repeat {
            var query = [("limit", "500")]
            if let labelSelector { query.append(("labelSelector", labelSelector)) }
            if !continueToken.isEmpty { query.append(("continue", continueToken)) }
            let page = try await json(
                .get, resource: resource, path: resource.collectionPath(namespace: namespace), query: query)
            items += page["items"]?.arrayValue ?? []
            continueToken = page["metadata"]?["continue"]?.stringValue ?? ""
            resourceVersion = page["metadata"]?["resourceVersion"]?.stringValue ?? resourceVersion
        } while !continueToken.isEmpty
        return ObjectList(items: items, resourceVersion: resourceVersion)
    }

    /// `POST` a new object.
    public func create(_ resource: APIResource, namespace: String, object: JSONValue, retry: Bool = true)
        async throws(KubernetesAPIError) -> JSONValue
    {
        try await json(
            .post, resource: resource, path: resource.collectionPath(namespace: namespace),
            body: Array(object.canonicalJSON.utf8), contentType: "application/json", retry: retry)
    }

    /// `PUT` an object (its `metadata.resourceVersion` makes the update conditional).
    public func update(_ resource: APIResource, namespace: String, name: String, object: JSONValue, retry: Bool = true)
        async throws(KubernetesAPIError) -> JSONValue
    {
        try await json(
            .put, resource: resource, path: resource.objectPath(namespace: namespace, name: name),
            body: Array(object.canonicalJSON.utf8), contentType: "application/json", retry: retry)
    }

    /// Server-side apply (`application/apply-patch+yaml`; JSON is YAML) of `body` as `fieldManager`.
    ///
    /// - Parameters:
    ///   - force: Take ownership of fields other managers own (the controller recommendation).
    ///   - dryRun: Ask the server to validate without persisting (`dryRun=All`).
    public func apply(
        _ resource: APIResource, namespace: String, name: String, body: [UInt8], fieldManager: String,
        force: Bool = true, dryRun: Bool = false
    ) async throws(KubernetesAPIError) -> JSONValue {
        var query = [("fieldManager", fieldManager), ("force", force ? "true" : "false")]
        if dryRun { query.append(("dryRun", "All")) }
        return try await json(
            .patch, resource: resource, path: resource.objectPath(namespace: namespace, name: name), query: query,
            body: body, contentType: "application/apply-patch+yaml")
    }

    /// `DELETE` an object; with `uid`, only if it is still that object (a precondition).
    public func delete(_ resource: APIResource, namespace: String, name: String, uid: String? = nil)
        async throws(KubernetesAPIError)
    {
        var options: JSONValue = ["apiVersion": "v1", "kind": "DeleteOptions", "propagationPolicy": "Background"]
        if let uid { options["preconditions"] = ["uid": .string(uid)] }
        _ = try await send(
            .delete, resource: resource, path: resource.objectPath(namespace: namespace, name: name),
            body: Array(options.canonicalJSON.utf8), contentType: "application/json")
    }

    /// Watches `resource` in `namespace` from `resourceVersion`; the stream ends when the server closes the
    /// watch (after `timeoutSeconds`) and throws on transport failures. An `ERROR` event (410 Expired) is
    /// delivered as an event: the caller lists again.
    public func watch(
        _ resource: APIResource, namespace: String, resourceVersion: String, timeoutSeconds: Int = 300,
        labelSelector: String? = nil
    ) async throws(KubernetesAPIError) -> AsyncThrowingStream<WatchEvent, any Error> {
        var query = [
            ("watch", "1"), ("resourceVersion", resourceVersion), ("allowWatchBookmarks", "true"),
            ("timeoutSeconds", String(timeoutSeconds)),
        ]
        if let labelSelector { query.append(("labelSelector", labelSelector)) }
        let path = resource.collectionPath(namespace: namespace)
        let response: HTTPStreamingResponse
        do {
            try await limiter.acquire()
        } catch {
            throw KubernetesAPIError(.transport, method: "GET", path: path, status: nil, message: "cancelled")
        }
        var request = try makeRequest(.get, path: path, query: query, body: nil, contentType: nil)
        request.timeout = .seconds(timeoutSeconds + 30)
        do {
            response = try await http.stream(request)
        } catch {
            record(RequestRecord(method: "WATCH", resource: resource.plural, status: nil, path: path))
            throw KubernetesAPIError(method: "GET", path: path, transport: error)
        }
        record(RequestRecord(method: "WATCH", resource: resource.plural, status: response.status, path: path))
        guard (200..<300).contains(response.status) else {
            var body: [UInt8] = []
            do {
                for try await chunk in response.body { body += chunk }
            } catch {}
            if response.status == 401 { tokens.invalidate() }
            throw KubernetesAPIError(
                method: "GET", path: path,
                response: HTTPResponse(head: response.head, body: body))
        }
        let chunks = response.body
        return AsyncThrowingStream { continuation in
            let task = Task {
                var decoder = WatchStreamDecoder()
                do {
                    for try await chunk in chunks {
                        for event in try decoder.feed(chunk) { continuation.yield(event) }
                    }
                    for event in try decoder.finish() { continuation.yield(event) }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    // MARK: Requests

    /// Sends a request and decodes the JSON response.
    func json(
        _ method: HTTPMethod, resource: APIResource, path: String, query: [(String, String)] = [],
        body: [UInt8]? = nil, contentType: String? = nil, retry: Bool = true
    ) async throws(KubernetesAPIError) -> JSONValue {
        let response = try await send(
            method, resource: resource, path: path, query: query, body: body, contentType: contentType, retry: retry)
        do {
            return try JSONValue.parse(response.body)
        } catch {
            throw KubernetesAPIError(
                .malformedResponse, method: method.rawValue, path: path, status: response.status,
                message: "the response is not JSON: \(String(decoding: response.body.prefix(200), as: UTF8.self))")
        }
    }

    /// Sends a request with rate limiting, retries and token refresh; returns a 2xx response or throws.
    public func send(
        _ method: HTTPMethod, resource: APIResource?, path: String, query: [(String, String)] = [],
        body: [UInt8]? = nil, contentType: String? = nil, retry: Bool = true
    ) async throws(KubernetesAPIError) -> HTTPResponse {
        let policy = retry ? configuration.retry : .none
        var attempt = 1
        var refreshedToken = false
        while true {
            do {
                let waited = try await limiter.acquire()
                if waited > .seconds(1) {
                    logger.info(
                        "waited \(waited) due to client-side throttling (qps \(configuration.qps), burst \(configuration.burst))"
                    )
                }
            } catch {
                throw KubernetesAPIError(
                    .transport, method: method.rawValue, path: path, status: nil, message: "cancelled")
            }
            let request = try makeRequest(method, path: path, query: query, body: body, contentType: contentType)
            let outcome: Result<HTTPResponse, any Error>
            do {
                outcome = .success(try await http.execute(request))
            } catch {
                outcome = .failure(error)
            }
            record(
                RequestRecord(
                    method: method.rawValue, resource: resource?.plural ?? "", status: try? outcome.get().status,
                    path: path))
            if case .success(let response) = outcome {
                if (200..<300).contains(response.status) { return response }
                if response.status == 401, tokens.canRefresh, !refreshedToken {
                    refreshedToken = true
                    tokens.invalidate()
                    continue
                }
            }
            if case .failure(let error as TransportError) = outcome, error.code == .cancelled || error.code == .shutdown
            {
                throw KubernetesAPIError(method: method.rawValue, path: path, transport: error)
            }
            guard attempt < policy.maxAttempts, policy.shouldRetry(outcome, method: method) else {
                switch outcome {
                case .success(let response):
                    throw KubernetesAPIError(method: method.rawValue, path: path, response: response)
                case .failure(let error):
                    throw KubernetesAPIError(method: method.rawValue, path: path, transport: error)
                }
            }
            let retryAfter = (try? outcome.get()).flatMap(RetryPolicy.retryAfter(in:))
            let delay = policy.delay(
                beforeRetry: attempt, retryAfter: retryAfter, unitRandom: retryEnvironment.unitRandom())
            let what: String
            switch outcome {
            case .success(let response): what = "HTTP \(response.status)"
            case .failure(let error): what = "\(error)"
            }
            logger.debug(
                "retrying \(method) \(path) in \(delay) after \(what) (attempt \(attempt + 1) of \(policy.maxAttempts))"
            )
            do {
                try await retryEnvironment.sleep(delay)
            } catch {
                throw KubernetesAPIError(
                    .transport, method: method.rawValue, path: path, status: nil, message: "cancelled")
            }
            attempt += 1
        }
    }

    /// Counts a request in `meshbridge_kubernetes_requests_total` and tells the observer.
    private func record(_ request: RequestRecord) {
        Counter(
            label: "meshbridge_kubernetes_requests_total",
            dimensions: [
                ("client", configuration.metricsClient), ("method", request.method), ("resource", request.resource),
                ("code", request.status.map(String.init) ?? "error"),
            ]
        ).increment()
        observer?(request)
    }

    private func makeRequest(
        _ method: HTTPMethod, path: String, query: [(String, String)], body: [UInt8]?, contentType: String?
    ) throws(KubernetesAPIError) -> HTTPRequest {
        var url = connection.server + path
        if !query.isEmpty {
            url += "?" + query.map { "\($0.0)=\(Self.queryEscape($0.1))" }.joined(separator: "&")
        }
        var headers: HTTPHeaders = ["Accept": "application/json"]
        if let contentType { headers["Content-Type"] = contentType }
        if let authorization = try tokens.authorization() { headers["Authorization"] = authorization }
        return HTTPRequest(method: method, url: url, headers: headers, body: body)
    }

    private static func queryEscape(_ value: String) -> String {
        if APIResource.isUnreserved(value) { return value }
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value
    }
}

/// The items of a list and the resourceVersion to watch from.
public struct ObjectList: Sendable {
    /// The objects.
    public var items: [JSONValue]
    /// The list's `metadata.resourceVersion`.
    public var resourceVersion: String
}
