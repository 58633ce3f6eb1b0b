/// `server/rest/controller/v4/main_controller.go` plus the root `/version` and `/health` aliases.
enum MainRoutes {
    static let all: [Route] = [
        Route("GET", "/v4/:project/registry/version", version),
        Route("GET", "/v4/:project/registry/health", health),
        Route("GET", "/version", version),
        Route("GET", "/health", health),
    ]

    static func version(_ request: SimulatedRequest, _ core: SimulatorCore) async -> SimulatedResponse {
        let identity = core.configuration.identity
        return .json(
            .object([
                ("version", .string(identity.version)), ("buildTag", .string(identity.buildTag)),
                ("goVersion", .string(identity.goVersion)), ("os", .string(identity.operatingSystem)),
                ("arch", .string(identity.architecture)), ("apiVersion", .string("4.0.0")),
            ])
        )
    }

    static func health(_ request: SimulatedRequest, _ core: SimulatorCore) async -> SimulatedResponse {
        await answer(core) { registry throws(ServiceCenterAPIError) in
            var builder = GoJSONObjectBuilder()
            builder.omitEmpty("instances", try await registry.health().map(\.goJSON))
            return .json(builder.object)
        }
    }
}
