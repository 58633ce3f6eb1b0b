import BridgeKernel
import BridgeTransport
import Logging

/// The Service Center v4 REST calls the source needs, with address failover and RBAC tokens.
///
/// Requests go to the address that answered last; a transport failure or a 5xx answer moves on to the next
/// configured address. A 401 drops the cached token and retries once with a fresh one.
actor ServiceCenterClient {
    /// One provider query of a batch find.
    struct ProviderQuery: Hashable, Sendable {
        var environment: String
        var appId: String
        var serviceName: String
        var version: String
    }

    let settings: ServiceCenterSourceSettings
    private let http: HTTPClient
    private let logger: Logger
    private var addressIndex = 0
    private var token: (value: String, refreshAt: ContinuousClock.Instant)?

    init(settings: ServiceCenterSourceSettings, logger: Logger) {
        self.settings = settings
        self.logger = logger
        self.http = HTTPClient(
            configuration: .init(
                tls: settings.tls, connectTimeout: min(settings.requestTimeout, .seconds(5)),
                requestTimeout: settings.requestTimeout, tcpKeepAlive: .seconds(30), userAgent: "MeshBridge"))
    }

    func shutdown() async { await http.shutdown() }

    /// The address currently in use.
    var currentAddress: String { settings.addresses[addressIndex % settings.addresses.count] }

    private var registryPath: String { "/v4/\(settings.project)/registry" }

    // MARK: Calls

    func listServices() async throws(ServiceCenterError) -> (services: [SCService], problems: [String]) {
        let response = try await send(.get, "\(registryPath)/microservices", operation: "list services")
        do {
            return try ServiceCenterPayloads.services(response.body)
        } catch {
            throw malformed("list services", error)
        }
    }

    /// Registers (idempotently) the watcher consumer of one environment and app; returns its service id.
    func registerWatcher(environment: String, appId: String) async throws(ServiceCenterError) -> String {
        var service: [String: JSONValue] = [
            "appId": .string(appId), "serviceName": .string(settings.watcherServiceName), "version": "0.0.1",
            "description": "MeshBridge watcher consumer",
        ]
        if !environment.isEmpty { service["environment"] = .string(environment) }
        let body = JSONValue.object(["service": .object(service)]).canonicalJSON
        let operation = "register watcher \(appId)/\(environment.isEmpty ? "-" : environment)"
        let response = try await send(
            .post, "\(registryPath)/microservices", body: Array(body.utf8), operation: operation)
        do {
            return try ServiceCenterPayloads.serviceId(response.body)
        } catch {
            throw malformed(operation, error)
        }
    }

    func unregisterService(_ serviceId: String) async throws(ServiceCenterError) {
        _ = try await send(
            .delete, "\(registryPath)/microservices/\(serviceId)?force=1", operation: "unregister \(serviceId)")
    }

    /// Batch-finds the instances of `queries` as consumer `consumerId` (which records the dependencies).
    func batchFind(consumerId: String, queries: [ProviderQuery]) async throws(ServiceCenterError) -> SCBatchFindResult {
        let services = queries.map { query -> JSONValue in
            var key: [String: JSONValue] = [
                "appId": .string(query.appId), "serviceName": .string(query.serviceName),
                "version": .string(query.version),
            ]
            if !query.environment.isEmpty { key["environment"] = .string(query.environment) }
            return .object(["service": .object(key)])
        }
        let body = JSONValue.object(["consumerServiceId": .string(consumerId), "services": .array(services)])
        let response = try await send(
            .post, "\(registryPath)/instances/action?type=query", body: Array(body.canonicalJSON.utf8),
            consumerId: consumerId, operation: "find instances for consumer \(consumerId)")
        do {
            return try ServiceCenterPayloads.batchFind(response.body)
        } catch {
            throw malformed("find instances", error)
        }
    }

    /// The watch socket URL and upgrade headers of a consumer at the current address.
    func watchRequest(consumerId: String) async throws(ServiceCenterError) -> (url: String, headers: [(String, String)])
    {
        var base = currentAddress
        if base.hasPrefix("https://") {
            base = "wss://" + base.dropFirst("https://".count)
        } else {
            base = "ws://" + base.dropFirst("http://".count)
        }
        var headers = [("X-Domain-Name", settings.domain)]
        if let token = try await currentToken(forceRefresh: false) {
            headers.append(("Authorization", "Bearer \(token)"))
        }
        return ("\(base)\(registryPath)/microservices/\(consumerId)/watcher", headers)
    }

    /// Moves to the next address (after the watch socket of the current one failed).
    func failOver() {
        guard settings.addresses.count > 1 else { return }
        addressIndex = (addressIndex + 1) % settings.addresses.count
        logger.info("Service Center: failing over", metadata: ["address": "\(currentAddress)"])
    }

    // MARK: Plumbing

    private func send(
        _ method: HTTPMethod, _ path: String, body: [UInt8]? = nil, consumerId: String? = nil, operation: String
    ) async throws(ServiceCenterError) -> HTTPResponse {
        var lastError: ServiceCenterError?
        for _ in 0..<settings.addresses.count {
            let url = currentAddress + path
            var refreshed = false
            while true {
                var headers: HTTPHeaders = ["X-Domain-Name": settings.domain, "Accept": "application/json"]
                if body != nil { headers["Content-Type"] = "application/json" }
                if let consumerId { headers["X-ConsumerId"] = consumerId }
                if let token = try await currentToken(forceRefresh: refreshed) {
                    headers["Authorization"] = "Bearer \(token)"
                }
                let response: HTTPResponse
                do {
                    response = try await http.execute(
                        HTTPRequest(method: method, url: url, headers: headers, body: body))
                } catch let error as TransportError {
                    if error.code == .cancelled || Task.isCancelled {
                        throw ServiceCenterError(
                            code: .unreachable, operation: operation, url: url, detail: "cancelled")
                    }
                    lastError = ServiceCenterError(
                        code: .unreachable, operation: operation, url: url, detail: error.description)
                    break
                } catch {
                    lastError = ServiceCenterError(
                        code: .unreachable, operation: operation, url: url, detail: "\(error)")
                    break
                }
                switch response.status {
                case 200..<300:
                    return response
                case 401 where !refreshed && settings.authentication != .none:
                    logger.debug("Service Center refused the token; refreshing", metadata: ["url": "\(url)"])
                    token = nil
                    refreshed = true
                    continue
                case 401, 403:
                    throw ServiceCenterError(
                        code: .unauthorized, operation: operation, url: url, status: response.status,
                        detail: ServiceCenterPayloads.errorMessage(response.body))
                case 500...:
                    lastError = ServiceCenterError(
                        code: .rejected, operation: operation, url: url, status: response.status,
                        detail: ServiceCenterPayloads.errorMessage(response.body))
                default:
                    throw ServiceCenterError(
                        code: .rejected, operation: operation, url: url, status: response.status,
                        detail: ServiceCenterPayloads.errorMessage(response.body))
                }
                break
            }
            failOver()
        }
        throw lastError
            ?? ServiceCenterError(code: .unreachable, operation: operation, url: path, detail: "no address configured")
    }

    /// The token to send, logging in or re-reading the token file when needed. Never logs the token.
    private func currentToken(forceRefresh: Bool) async throws(ServiceCenterError) -> String? {
        switch settings.authentication {
        case .none:
            return nil
        case .tokenFile(let path):
            guard let value = SecretFile.read(path) else {
                throw ServiceCenterError(
                    code: .unauthorized, operation: "read token file", url: path, detail: "missing or empty file")
            }
            return value
        case .account(let user, let password):
            let now = ContinuousClock.now
            if !forceRefresh, let token, now < token.refreshAt { return token.value }
            let body = JSONValue.object([
                "name": .string(user), "password": .string(password.value),
                "tokenExpirationTime": .string(Self.goDuration(settings.tokenLifetime)),
            ])
            let url = currentAddress + "/v4/token"
            let response: HTTPResponse
            do {
                response = try await http.execute(
                    HTTPRequest(
                        method: .post, url: url,
                        headers: ["Content-Type": "application/json", "X-Domain-Name": settings.domain],
                        body: Array(body.canonicalJSON.utf8)))
            } catch {
                throw ServiceCenterError(
                    code: .unreachable, operation: "login as \(user)", url: url, detail: "\(error)")
            }
            guard response.status == 200 else {
                throw ServiceCenterError(
                    code: response.status >= 500 ? .rejected : .unauthorized, operation: "login as \(user)", url: url,
                    status: response.status, detail: ServiceCenterPayloads.errorMessage(response.body))
            }
            do {
                let value = try ServiceCenterPayloads.token(response.body)
                // Refresh at 80% of the lifetime, so a token never expires in the middle of a poll.
                token = (value, now + settings.tokenLifetime * 0.8)
                logger.debug("Service Center token obtained", metadata: ["user": "\(user)"])
                return value
            } catch {
                throw malformed("login as \(user)", error)
            }
        }
    }

    private func malformed(_ operation: String, _ error: ServiceCenterPayloadError) -> ServiceCenterError {
        ServiceCenterError(code: .malformedResponse, operation: operation, url: currentAddress, detail: "\(error)")
    }

    static func goDuration(_ duration: Duration) -> String {
        let seconds = max(duration.components.seconds, 15 * 60)
        return "\(seconds / 60)m"
    }
}
