import HTTPTypes

/// `server/resource/disco/instance_resource.go`.
enum InstanceRoutes {
    static let all: [Route] = [
        Route("GET", "/v4/:project/registry/instances", find),
        Route("POST", "/v4/:project/registry/instances/action", action),
        Route("GET", "/v4/:project/registry/microservices/:serviceId/instances", list),
        Route("GET", "/v4/:project/registry/microservices/:serviceId/instances/:instanceId", get),
        Route("POST", "/v4/:project/registry/microservices/:serviceId/instances", maxBodyBytes: 5 * 1024, register),
        Route("DELETE", "/v4/:project/registry/microservices/:serviceId/instances/:instanceId", unregister),
        Route(
            "PUT",
            "/v4/:project/registry/microservices/:serviceId/instances/:instanceId/properties",
            maxBodyBytes: 3 * 1024,
            putProperties
        ),
        Route("PUT", "/v4/:project/registry/microservices/:serviceId/instances/:instanceId/status", putStatus),
        Route("PUT", "/v4/:project/registry/microservices/:serviceId/instances/:instanceId/heartbeat", heartbeat),
    ]

    /// The instance list answer: revision header, 304 when the client's `rev` is current.
    private static func instancesAnswer(_ result: InstanceQueryResult) -> SimulatedResponse {
        if result.notModified { return .notModified(revision: result.revision) }
        var builder = GoJSONObjectBuilder()
        builder.omitEmpty("instances", (result.instances ?? []).map(\.goJSON))
        var headers = HTTPFields()
        headers[SimulatedResponse.resourceRevision] = result.revision
        return .json(builder.object, headers: headers)
    }

    static func find(_ request: SimulatedRequest, _ core: SimulatorCore) async -> SimulatedResponse {
        let serviceName = request.query.value("serviceName")
        let find = FindInstancesRequest(
            consumerServiceId: request.consumerId,
            appId: request.query.value("appId"),
            serviceName: serviceName,
            tags: request.tags,
            environment: request.query.value("env"),
            alias: serviceName,
            revision: request.requestRevision
        )
        return await answer(core) { registry throws(ServiceCenterAPIError) in
            instancesAnswer(try await registry.find(find, tenant: request.tenant))
        }
    }

    static func action(_ request: SimulatedRequest, _ core: SimulatorCore) async -> SimulatedResponse {
        let type = request.query.value("type")
        guard type == "query" else {
            return .error(ServiceCenterAPIError(.invalidParameters, "Invalid action: \(type)"))
        }
        var batch: BatchFindRequest
        do {
            batch = try BatchFindRequest(
                reading: GoJSONObjectReader.parse(request.body, structName: "BatchFindInstancesRequest")
            )
        } catch {
            return .error(ServiceCenterAPIError(.invalidParameters, "Unmarshal error"))
        }
        // The header wins over the body (`request.ConsumerServiceId = r.Header.Get("X-ConsumerId")`).
        batch.consumerServiceId = request.consumerId
        let query = batch
        return await answer(core) { registry throws(ServiceCenterAPIError) in
            .json(try await registry.batchFind(query, tenant: request.tenant))
        }
    }

    static func list(_ request: SimulatedRequest, _ core: SimulatorCore) async -> SimulatedResponse {
        await answer(core) { registry throws(ServiceCenterAPIError) in
            instancesAnswer(
                try await registry.listInstances(
                    consumerId: request.consumerId,
                    providerId: request.parameter("serviceId"),
                    tags: request.tags,
                    requestRevision: request.requestRevision,
                    tenant: request.tenant
                )
            )
        }
    }

    static func get(_ request: SimulatedRequest, _ core: SimulatorCore) async -> SimulatedResponse {
        await answer(core) { registry throws(ServiceCenterAPIError) in
            let found = try await registry.getInstance(
                consumerId: request.consumerId,
                providerId: request.parameter("serviceId"),
                instanceId: request.parameter("instanceId"),
                tags: request.tags,
                requestRevision: request.requestRevision,
                tenant: request.tenant
            )
            if found.notModified { return .notModified(revision: found.revision) }
            var builder = GoJSONObjectBuilder()
            builder.omitNil("instance", found.instance?.goJSON)
            var headers = HTTPFields()
            headers[SimulatedResponse.resourceRevision] = found.revision
            return .json(builder.object, headers: headers)
        }
    }

    static func register(_ request: SimulatedRequest, _ core: SimulatorCore) async -> SimulatedResponse {
        var instance: MicroServiceInstance?
        do {
            instance = try GoJSONObjectReader.parse(request.body, structName: "RegisterInstanceRequest")
                .object("instance", structName: "MicroServiceInstance", MicroServiceInstance.init(reading:))
        } catch {
            return .error(ServiceCenterAPIError(.invalidParameters, "Unmarshal error"))
        }
        instance?.serviceId = request.parameter("serviceId")
        let body = instance
        return await answer(core) { registry throws(ServiceCenterAPIError) in
            let id = try await registry.registerInstance(body, tenant: request.tenant)
            return .json(.object([("instanceId", .string(id))]))
        }
    }

    static func unregister(_ request: SimulatedRequest, _ core: SimulatorCore) async -> SimulatedResponse {
        await answer(core) { registry throws(ServiceCenterAPIError) in
            try await registry.unregisterInstance(
                serviceId: request.parameter("serviceId"),
                instanceId: request.parameter("instanceId"),
                tenant: request.tenant
            )
            return .emptySuccess()
        }
    }

    static func putProperties(_ request: SimulatedRequest, _ core: SimulatorCore) async -> SimulatedResponse {
        let properties: [String: String]
        do {
            properties = try GoJSONObjectReader.parse(request.body, structName: "UpdateInstancePropsRequest")
                .stringMap("properties")
        } catch {
            return .error(ServiceCenterAPIError(.invalidParameters, "Unmarshal error"))
        }
        return await answer(core) { registry throws(ServiceCenterAPIError) in
            try await registry.setInstanceProperties(
                serviceId: request.parameter("serviceId"),
                instanceId: request.parameter("instanceId"),
                properties: properties,
                tenant: request.tenant
            )
            return .emptySuccess()
        }
    }

    static func putStatus(_ request: SimulatedRequest, _ core: SimulatorCore) async -> SimulatedResponse {
        await answer(core) { registry throws(ServiceCenterAPIError) in
            try await registry.setInstanceStatus(
                serviceId: request.parameter("serviceId"),
                instanceId: request.parameter("instanceId"),
                status: request.query.value("value"),
                tenant: request.tenant
            )
            return .emptySuccess()
        }
    }

    static func heartbeat(_ request: SimulatedRequest, _ core: SimulatorCore) async -> SimulatedResponse {
        await answer(core) { registry throws(ServiceCenterAPIError) in
            try await registry.heartbeat(
                serviceId: request.parameter("serviceId"),
                instanceId: request.parameter("instanceId"),
                tenant: request.tenant
            )
            return .emptySuccess()
        }
    }
}
