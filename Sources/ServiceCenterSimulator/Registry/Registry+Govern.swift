/// One element of `allServicesDetail` (cari `ServiceDetail`).
struct ServiceDetail: Sendable, GoJSONEncodable {
    var microService: MicroService
    var instances: [MicroServiceInstance] = []
    var providers: [MicroService] = []
    var consumers: [MicroService] = []
    var tags: [String: String] = [:]
    var instanceCount: Int?

    var goJSON: GoJSON {
        var builder = GoJSONObjectBuilder()
        builder.always("microService", microService.goJSON)
        builder.omitEmpty("instances", instances.map(\.goJSON))
        builder.omitEmpty("providers", providers.map(\.goJSON))
        builder.omitEmpty("consumers", consumers.map(\.goJSON))
        builder.omitEmpty("tags", tags)
        if let instanceCount {
            var count = GoJSONObjectBuilder()
            count.omitEmpty("count", Int64(instanceCount))
            builder.always("statics", .object([("instances", count.object)]))
        }
        return builder.object
    }
}

/// cari `Statistics`.
struct RegistryStatistics: Sendable, GoJSONEncodable {
    var serviceCount = 0
    var onlineServiceCount = 0
    var instanceCount = 0
    var appCount = 0

    var goJSON: GoJSON {
        var services = GoJSONObjectBuilder()
        services.omitEmpty("count", Int64(serviceCount))
        services.omitEmpty("onlineCount", Int64(onlineServiceCount))
        var instances = GoJSONObjectBuilder()
        instances.omitEmpty("count", Int64(instanceCount))
        var apps = GoJSONObjectBuilder()
        apps.omitEmpty("count", Int64(appCount))
        return .object([("services", services.object), ("instances", instances.object), ("apps", apps.object)])
    }
}

/// `GET /govern/microservices` answer (cari `GetServicesInfoResponse`).
struct GovernServicesResponse: Sendable, GoJSONEncodable {
    var details: [ServiceDetail] = []
    var statistics: RegistryStatistics?

    var goJSON: GoJSON {
        var builder = GoJSONObjectBuilder()
        builder.omitEmpty("allServicesDetail", details.map(\.goJSON))
        builder.omitNil("statistics", statistics?.goJSON)
        return builder.object
    }
}

/// Query of `GET /govern/microservices`.
struct GovernQuery: Sendable {
    var options: [String]
    var appId = ""
    var serviceName = ""
    var environment = ""
    var withShared = false
    var countOnly = false
    var properties: [String: String] = [:]
}

extension Registry {
    /// `ListServiceDetail`: every service with the requested details; instance properties and service schemas are
    /// stripped like `NewServiceOverview` does when no inner properties are configured.
    func governServices(_ query: GovernQuery, tenant: Tenant) -> GovernServicesResponse {
        let requested = Set(query.options)
        var options = requested
        var wantStatistics = requested.contains("statistics")
        if requested.contains("all") {
            options = ["tags", "instances", "schemas", "dependencies"]
            wantStatistics = true
        }
        var response = GovernServicesResponse()
        if wantStatistics {
            response.statistics = statistics(tenant: tenant, withShared: query.withShared)
            if requested == ["statistics"] { return response }
        }
        for service in listServices(tenant: tenant, withShared: query.withShared) {
            if !query.withShared, Self.isGlobal(service, tenant: tenant) { continue }
            if !query.environment.isEmpty, query.environment != service.environment { continue }
            if !query.appId.isEmpty, query.appId != service.appId { continue }
            if !query.serviceName.isEmpty, query.serviceName != service.serviceName { continue }
            if !query.properties.allSatisfy({ service.properties[$0.key] == $0.value }) { continue }

            var overview = service
            overview.schemas = []
            var detail = ServiceDetail(microService: overview)
            if options.contains("tags") { detail.tags = state(tenant).services[service.serviceId]?.tags ?? [:] }
            if options.contains("instances") {
                var instances = self.instances(of: [service.serviceId], tenant: tenant).instances
                for index in instances.indices { instances[index].properties = [:] }
                if query.countOnly {
                    detail.instanceCount = instances.count
                } else {
                    detail.instances = instances
                }
            } else if query.countOnly {
                detail.instanceCount = nil
            }
            if options.contains("dependencies") {
                detail.consumers = consumerIds(of: service, tenant: tenant)
                    .filter { $0 != service.serviceId }.compactMap { self.service($0, in: tenant) }
                let rules = state(tenant).dependencies[service.serviceId] ?? []
                detail.providers = listServices(tenant: tenant, withShared: true)
                    .filter { provider in
                        provider.serviceId != service.serviceId && rules.contains(where: { $0.covers(provider) })
                    }
            }
            response.details.append(detail)
        }
        return response
    }

    func statistics(tenant: Tenant, withShared: Bool) -> RegistryStatistics {
        let counted = state(tenant).services.values.map(\.service)
            .filter { withShared || !Self.isGlobal($0, tenant: tenant) }
        var statistics = RegistryStatistics()
        let nameKey: (MicroService) -> String = { "\($0.environment)/\($0.appId)/\($0.serviceName)" }
        statistics.serviceCount = Set(counted.map(nameKey)).count
        statistics.appCount = Set(counted.map(\.appId)).count
        var online: Set<String> = []
        for service in counted {
            let count = state(tenant).instances[service.serviceId]?.count ?? 0
            statistics.instanceCount += count
            if count > 0 { online.insert(nameKey(service)) }
        }
        statistics.onlineServiceCount = online.count
        return statistics
    }

    // MARK: Service Center's own registration

    /// Registers (or re-points) `SERVICECENTER` and its instance in `default/default`, as `InitRegistration` does.
    func registerSelf(endpoint: String) throws(ServiceCenterAPIError) {
        if let serviceId = selfServiceId, let instanceId = selfInstanceId,
            tenants[.default]?.instances[serviceId]?[instanceId] != nil
        {
            tenants[.default]!.instances[serviceId]![instanceId]!.instance.endpoints = [endpoint]
            return
        }
        let service = MicroService(
            appId: "default",
            serviceName: Self.selfServiceName,
            version: identity.version,
            level: "BACK",
            status: "UP",
            properties: ["allowCrossApp": "true"],
            alias: Self.selfServiceName,
            environment: identity.environment
        )
        let serviceId = try registerService(CreateServiceRequest(service: service), tenant: .default)
        let hostName = String(identity.hostName.filter { !$0.isWhitespace }.prefix(64))
        let instance = MicroServiceInstance(
            serviceId: serviceId,
            endpoints: [endpoint],
            hostName: hostName.isEmpty ? "localhost" : hostName,
            status: "UP",
            healthCheck: HealthCheck(mode: "push", interval: 30, times: 3)
        )
        selfServiceId = serviceId
        selfInstanceId = try registerInstance(instance, tenant: .default, keepAlive: true)
    }

    /// `ClusterHealth`: Service Center's own instances.
    func health() throws(ServiceCenterAPIError) -> [MicroServiceInstance] {
        if faults.isUnhealthy {
            throw ServiceCenterAPIError(.unhealthy, "service center is unhealthy (simulated)")
        }
        guard let serviceId = selfServiceId else {
            let flag = "\(identity.environment)/default/\(Self.selfServiceName)/\(identity.version)"
            throw ServiceCenterAPIError(.serviceNotExists, "\(flag) does not exist.")
        }
        return instances(of: [serviceId], tenant: .default).instances
    }
}
