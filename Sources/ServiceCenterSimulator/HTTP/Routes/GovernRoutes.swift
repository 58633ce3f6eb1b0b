/// `server/resource/govern/govern_resource.go` (service list with details).
enum GovernRoutes {
    static let all: [Route] = [
        Route("GET", "/v4/:project/govern/microservices", list)
    ]

    static func list(_ request: SimulatedRequest, _ core: SimulatorCore) async -> SimulatedResponse {
        let countOnly = request.query.value("countOnly")
        guard ["", "0", "1"].contains(countOnly.trimmingCharacters(in: .whitespaces)) else {
            return .error(ServiceCenterAPIError(.invalidParameters, "parameter countOnly must be 1 or 0"))
        }
        var properties: [String: String] = [:]
        for entry in request.query.values("property") {
            let parts = entry.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            properties[String(parts[0])] = parts.count > 1 ? String(parts[1]) : ""
        }
        let query = GovernQuery(
            options: request.query.value("options").split(separator: ",", omittingEmptySubsequences: false)
                .map(String.init),
            appId: request.query.value("appId"),
            serviceName: request.query.value("serviceName"),
            environment: request.query.value("env"),
            withShared: GoQuery.isTrue(request.query.value("withShared")),
            countOnly: countOnly == "1",
            properties: properties
        )
        return .json(await core.registry.governServices(query, tenant: request.tenant))
    }
}
