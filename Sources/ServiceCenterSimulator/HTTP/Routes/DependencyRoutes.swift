import HTTPTypes

/// `server/rest/controller/v4/dependency_controller.go`.
enum DependencyRoutes {
    static let all: [Route] = [
        Route("POST", "/v4/:project/registry/dependencies", add),
        Route("PUT", "/v4/:project/registry/dependencies", put),
        Route("GET", "/v4/:project/registry/microservices/:consumerId/providers", providers),
        Route("GET", "/v4/:project/registry/microservices/:providerId/consumers", consumers),
    ]

    static func add(_ request: SimulatedRequest, _ core: SimulatorCore) async -> SimulatedResponse {
        await store(request, core, override: false)
    }

    static func put(_ request: SimulatedRequest, _ core: SimulatorCore) async -> SimulatedResponse {
        await store(request, core, override: true)
    }

    private static func store(_ request: SimulatedRequest, _ core: SimulatorCore, override: Bool) async
        -> SimulatedResponse
    {
        let dependencies: [ConsumerDependency?]
        do {
            dependencies = try GoJSONObjectReader.parse(
                request.body,
                structName: override ? "CreateDependenciesRequest" : "AddDependenciesRequest"
            ).objects("dependencies", structName: "ConsumerDependency", ConsumerDependency.init(reading:))
        } catch {
            return .error(ServiceCenterAPIError(.invalidParameters, "\(error)"))
        }
        return await answer(core) { registry throws(ServiceCenterAPIError) in
            try await registry.putDependencies(dependencies, override: override, tenant: request.tenant)
            var headers = HTTPFields()
            headers[HTTPField.Name("Deprecation")!] = #"version="v4""#
            return .emptySuccess(headers: headers)
        }
    }

    static func providers(_ request: SimulatedRequest, _ core: SimulatorCore) async -> SimulatedResponse {
        await answer(core) { registry throws(ServiceCenterAPIError) in
            let services = try await registry.listProviders(
                consumerId: request.parameter("consumerId"),
                tenant: request.tenant
            )
            var builder = GoJSONObjectBuilder()
            builder.omitEmpty("providers", services.map(\.goJSON))
            return .json(builder.object)
        }
    }

    static func consumers(_ request: SimulatedRequest, _ core: SimulatorCore) async -> SimulatedResponse {
        await answer(core) { registry throws(ServiceCenterAPIError) in
            let services = try await registry.listConsumers(
                providerId: request.parameter("providerId"),
                tenant: request.tenant
            )
            var builder = GoJSONObjectBuilder()
            builder.omitEmpty("consumers", services.map(\.goJSON))
            return .json(builder.object)
        }
    }
}
