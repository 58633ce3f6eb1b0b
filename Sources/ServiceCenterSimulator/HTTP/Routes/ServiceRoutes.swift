/// `server/resource/disco/service_resource.go`.
enum ServiceRoutes {
    static let all: [Route] = [
        Route("GET", "/v4/:project/registry/existence", existence),
        Route("GET", "/v4/:project/registry/microservices", list),
        Route("GET", "/v4/:project/registry/microservices/:serviceId", get),
        Route("POST", "/v4/:project/registry/microservices", register),
        Route(
            "PUT", "/v4/:project/registry/microservices/:serviceId/properties", maxBodyBytes: 3 * 1024, putProperties),
        Route("DELETE", "/v4/:project/registry/microservices/:serviceId", unregister),
    ]

    static func existence(_ request: SimulatedRequest, _ core: SimulatorCore) async -> SimulatedResponse {
        switch request.query.value("type") {
        case "microservice":
            let key = MicroServiceKey(
                environment: request.query.value("env"),
                appId: request.query.value("appId"),
                serviceName: request.query.value("serviceName"),
                version: request.query.value("version")
            )
            return await answer(core) { registry throws(ServiceCenterAPIError) in
                .json(.object([("serviceId", .string(try await registry.existence(key, tenant: request.tenant)))]))
            }
        case "schema":
            return .error(ServiceCenterAPIError(.schemaNotExists, "Schema does not exist."))
        default:
            return .error(
                ServiceCenterAPIError(.invalidParameters, "Only micro-service and schema can be used as type.")
            )
        }
    }

    static func list(_ request: SimulatedRequest, _ core: SimulatorCore) async -> SimulatedResponse {
        let services = await core.registry.listServices(
            tenant: request.tenant,
            withShared: GoQuery.isTrue(request.query.value("withShared"))
        )
        var builder = GoJSONObjectBuilder()
        builder.omitEmpty("services", services.map(\.goJSON))
        return .json(builder.object)
    }

    static func get(_ request: SimulatedRequest, _ core: SimulatorCore) async -> SimulatedResponse {
        await answer(core) { registry throws(ServiceCenterAPIError) in
            let service = try await registry.getService(request.parameter("serviceId"), tenant: request.tenant)
            return .json(.object([("service", service.goJSON)]))
        }
    }

    static func register(_ request: SimulatedRequest, _ core: SimulatorCore) async -> SimulatedResponse {
        let body: CreateServiceRequest
        do {
            body = try CreateServiceRequest(
                reading: GoJSONObjectReader.parse(request.body, structName: "CreateServiceRequest")
            )
        } catch {
            return .error(ServiceCenterAPIError(.invalidParameters, "\(error)"))
        }
        return await answer(core) { registry throws(ServiceCenterAPIError) in
            let id = try await registry.registerService(body, tenant: request.tenant)
            return .json(.object([("serviceId", .string(id))]))
        }
    }

    static func putProperties(_ request: SimulatedRequest, _ core: SimulatorCore) async -> SimulatedResponse {
        let properties: [String: String]
        do {
            properties = try GoJSONObjectReader.parse(request.body, structName: "UpdateServicePropsRequest")
                .stringMap("properties")
        } catch {
            return .error(ServiceCenterAPIError(.invalidParameters, "\(error)"))
        }
        return await answer(core) { registry throws(ServiceCenterAPIError) in
            try await registry.updateServiceProperties(
                request.parameter("serviceId"),
                properties: properties,
                tenant: request.tenant
            )
            return .emptySuccess()
        }
    }

    static func unregister(_ request: SimulatedRequest, _ core: SimulatorCore) async -> SimulatedResponse {
        let force = request.query.value("force")
        let flags = ["true": true, "false": false, "1": true, "0": false]
        guard force.isEmpty || flags[force] != nil else {
            return .error(ServiceCenterAPIError(.invalidParameters, "parameter force must be false or true"))
        }
        return await answer(core) { registry throws(ServiceCenterAPIError) in
            try await registry.deleteService(
                request.parameter("serviceId"),
                force: flags[force] ?? false,
                tenant: request.tenant
            )
            return .emptySuccess()
        }
    }
}

/// Runs a registry operation and turns its Service Center error into the error response.
func answer(
    _ core: SimulatorCore,
    _ body: (Registry) async throws(ServiceCenterAPIError) -> SimulatedResponse
) async -> SimulatedResponse {
    do throws(ServiceCenterAPIError) {
        return try await body(core.registry)
    } catch {
        return .error(error)
    }
}
