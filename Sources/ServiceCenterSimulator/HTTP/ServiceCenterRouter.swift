import HTTPTypes

/// One Service Center route.
struct Route: Sendable {
    typealias Handler = @Sendable (SimulatedRequest, SimulatorCore) async -> SimulatedResponse

    let method: String
    let pattern: RoutePattern
    /// Largest accepted body (`server/handler/maxbody`); GET bodies are not limited.
    let maxBodyBytes: Int
    let handler: Handler

    init(_ method: String, _ pattern: String, maxBodyBytes: Int = 2_097_152, _ handler: @escaping Handler) {
        self.method = method
        self.pattern = RoutePattern(pattern)
        self.maxBodyBytes = maxBodyBytes
        self.handler = handler
    }
}

/// Dispatches requests like Service Center's `pkg/rest.Router` plus its handler chain: route match (Go 404 / 405
/// texts), fault injection, RBAC, body limit, then the resource handler.
struct ServiceCenterRouter: Sendable {
    /// Routes that need no token when RBAC is on (`rbac.Add2WhiteAPIList`).
    static let authExempt: Set<String> = [
        "/v4/token", "/v4/:project/registry/version", "/version", "/v4/:project/registry/health", "/health",
    ]

    /// The watch route, upgraded to a WebSocket before it reaches the router.
    static let watchPattern = RoutePattern("/v4/:project/registry/microservices/:serviceId/watcher")

    let routes: [Route]

    init(rbacEnabled: Bool) {
        // Registration order matters only where patterns overlap; it follows Service Center's servant order.
        var routes =
            ServiceRoutes.all + InstanceRoutes.all + WatchRoutes.all + DependencyRoutes.all
            + MainRoutes.all + GovernRoutes.all
        if rbacEnabled { routes += TokenRoutes.all }
        self.routes = routes
    }

    enum Resolution {
        case matched(Route, [String: String])
        case methodNotAllowed([String])
        case notFound
    }

    func resolve(method: String, path: String) -> Resolution {
        for route in routes where route.method == method {
            if let parameters = route.pattern.match(path) { return .matched(route, parameters) }
        }
        var allowed: [String] = []
        for route in routes where route.method != method && route.pattern.match(path) != nil {
            if !allowed.contains(route.method) { allowed.append(route.method) }
        }
        return allowed.isEmpty ? .notFound : .methodNotAllowed(allowed)
    }

    /// Handles one request end to end.
    func respond(to request: SimulatedRequest, core: SimulatorCore) async -> SimulatedResponse {
        if request.path.hasPrefix(AdminRoutes.prefix) {
            core.counters.increment(method: request.method, route: AdminRoutes.prefix)
            return await AdminRoutes.respond(to: request, core: core)
        }
        switch resolve(method: request.method, path: request.path) {
        case .notFound:
            core.counters.increment(method: request.method, route: RequestCounters.unmatchedRoute)
            return .notFound
        case .methodNotAllowed(let allowed):
            core.counters.increment(method: request.method, route: RequestCounters.unmatchedRoute)
            var headers = HTTPFields()
            headers[.allow] = allowed.joined(separator: ", ")
            return .goPlainError(.methodNotAllowed, "Method Not Allowed", headers: headers)
        case .matched(let route, let parameters):
            core.counters.increment(method: request.method, route: route.pattern.text)
            var request = request
            request.parameters = parameters
            if let rejection = await Self.preflight(request, route: route, core: core) { return rejection }
            if request.method != "GET", request.body.count > route.maxBodyBytes {
                return .error(ServiceCenterAPIError(.invalidParameters, "http: request body too large"))
            }
            return await route.handler(request, core)
        }
    }

    /// Injected latency and failures, then authentication. `nil` lets the request through.
    static func preflight(_ request: SimulatedRequest, route: Route, core: SimulatorCore) async -> SimulatedResponse? {
        let delay = core.faults.latency(method: request.method, path: request.path, route: route.pattern.text)
        if delay > .zero { try? await Task.sleep(for: delay) }
        await core.faults.waitIfHeld(method: request.method, path: request.path, route: route.pattern.text)
        if core.faults.consumeFailure(method: request.method, path: request.path, route: route.pattern.text) {
            return .error(ServiceCenterAPIError(.internalError, "simulated failure (fault injection)"))
        }
        if let tokens = core.tokens, !authExempt.contains(route.pattern.text) {
            do throws(ServiceCenterAPIError) {
                try tokens.verify(authorization: request.header("Authorization"))
            } catch {
                return .error(error)
            }
        }
        return nil
    }
}
