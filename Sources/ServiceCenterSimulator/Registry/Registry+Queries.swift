extension Registry {
    /// `util.Accessible` / `AllowAcrossDimension`: cross-app needs `allowCrossApp=true` on the provider;
    /// cross-environment is refused unless the provider is shared.
    func accessible(consumer: MicroService, provider: MicroService, tenant: Tenant) -> Bool {
        if provider.appId != consumer.appId {
            guard provider.properties["allowCrossApp"]?.lowercased() == "true" else { return false }
        }
        if !Self.isGlobal(provider, tenant: tenant), provider.environment != consumer.environment { return false }
        return true
    }

    /// `TagsFilter`: with tags requested, only providers carrying every tag key remain.
    private func filterByTags(_ ids: [String], tags: [String], tenant: Tenant) -> [String] {
        guard !tags.isEmpty else { return ids }
        return ids.filter { id in
            let serviceTags = state(tenant).services[id]?.tags ?? [:]
            return !serviceTags.isEmpty && tags.allSatisfy { serviceTags[$0] != nil }
        }
    }

    private func consumer(_ consumerId: String, tenant: Tenant) throws(ServiceCenterAPIError) -> MicroService? {
        guard !consumerId.isEmpty else { return nil }
        guard let consumer = service(consumerId, in: tenant) else {
            throw ServiceCenterAPIError(.serviceNotExists, "Consumer[\(consumerId)] does not exist.")
        }
        return consumer
    }

    private func result(_ ids: [String], tenant: Tenant, requestRevision: String) -> InstanceQueryResult {
        let (instances, revision) = instances(of: ids, tenant: tenant)
        let notModified = !requestRevision.isEmpty && requestRevision == revision
        return InstanceQueryResult(
            instances: notModified ? nil : instances, revision: revision, notModified: notModified)
    }

    /// `GET /microservices/{serviceId}/instances` (`ListInstance`).
    func listInstances(
        consumerId: String,
        providerId: String,
        tags: [String],
        requestRevision: String,
        tenant: Tenant
    ) throws(ServiceCenterAPIError) -> InstanceQueryResult {
        try RequestValidation.validate(instanceQuery: consumerId, providerId: providerId, instanceId: nil, tags: tags)
        let consumer = try consumer(consumerId, tenant: tenant)
        guard let provider = service(providerId, in: tenant) else {
            throw ServiceCenterAPIError(.serviceNotExists, "Provider[\(providerId)] does not exist.")
        }
        var ids = filterByTags([providerId], tags: tags, tenant: tenant)
        if let consumer { ids = ids.filter { _ in accessible(consumer: consumer, provider: provider, tenant: tenant) } }
        guard !ids.isEmpty else {
            let c = consumer ?? MicroService()
            let flag =
                "Consumer[\(consumerId)][\(c.environment)/\(c.appId)/\(c.serviceName)/\(c.version)] find provider"
                + "[\(providerId)][\(provider.environment)/\(provider.appId)/\(provider.serviceName)/"
                + "\(provider.version)] instances"
            throw ServiceCenterAPIError(.serviceNotExists, "\(flag) failed, provider instance does not exist")
        }
        return result(ids, tenant: tenant, requestRevision: requestRevision)
    }

    /// `GET /microservices/{serviceId}/instances/{instanceId}` (`GetInstance`).
    func getInstance(
        consumerId: String,
        providerId: String,
        instanceId: String,
        tags: [String],
        requestRevision: String,
        tenant: Tenant
    ) throws(ServiceCenterAPIError) -> (instance: MicroServiceInstance?, revision: String, notModified: Bool) {
        try RequestValidation.validate(
            instanceQuery: consumerId,
            providerId: providerId,
            instanceId: instanceId,
            tags: tags
        )
        let consumer = try consumer(consumerId, tenant: tenant)
        guard let provider = service(providerId, in: tenant) else {
            throw ServiceCenterAPIError(.serviceNotExists, "Provider[\(providerId)] does not exist.")
        }
        var allowed = !filterByTags([providerId], tags: tags, tenant: tenant).isEmpty
        if let consumer, !accessible(consumer: consumer, provider: provider, tenant: tenant) { allowed = false }
        let record = allowed ? state(tenant).instances[providerId]?[instanceId] : nil
        guard let record else {
            let c = consumer ?? MicroService()
            let flag =
                "Consumer[\(consumerId)][\(c.environment)/\(c.appId)/\(c.serviceName)/\(c.version)] find provider"
                + "[\(providerId)][\(provider.environment)/\(provider.appId)/\(provider.serviceName)/"
                + "\(provider.version)] instance[\(instanceId)]"
            throw ServiceCenterAPIError(.instanceNotExists, "\(flag) failed, provider instance does not exist")
        }
        let revision = InstanceRevision.of(maxModRevision: record.modRevision, count: 1)
        let notModified = !requestRevision.isEmpty && requestRevision == revision
        return (notModified ? nil : record.instance, revision, notModified)
    }

    /// `GET /registry/instances` (`FindInstances`). With a consumer id the provider environment is forced to the
    /// consumer's, inaccessible providers are silently filtered out, and a consumer→provider dependency is
    /// recorded (the rule that makes watch events flow).
    func find(_ request: FindInstancesRequest, tenant: Tenant) throws(ServiceCenterAPIError) -> InstanceQueryResult {
        try RequestValidation.validate(find: request)
        if Self.isGlobal(tenant: tenant, appId: request.appId, serviceName: request.serviceName, alias: request.alias) {
            // findSharedServiceInstance: shared services live in Service Center's own environment.
            let ids = serviceIds(
                tenant: tenant,
                environment: identity.environment,
                appId: request.appId,
                name: request.serviceName,
                alias: request.alias
            )
            guard !ids.isEmpty else {
                let flag = "find shared provider[\(identity.environment)/\(request.appId)/\(request.serviceName)/]"
                throw ServiceCenterAPIError(.serviceNotExists, "\(flag) failed, provider does not exist")
            }
            return result(
                filterByTags(ids, tags: request.tags, tenant: tenant), tenant: tenant, requestRevision: request.revision
            )
        }

        let consumer = try consumer(request.consumerServiceId, tenant: tenant)
        let environment = consumer?.environment ?? request.environment
        let c = consumer ?? MicroService(environment: request.environment)
        let flag =
            "Consumer[\(request.consumerServiceId)][\(c.environment)/\(c.appId)/\(c.serviceName)/\(c.version)] "
            + "find provider[\(environment)/\(request.appId)/\(request.serviceName)]"
        var ids = serviceIds(
            tenant: tenant,
            environment: environment,
            appId: request.appId,
            name: request.serviceName,
            alias: request.alias
        )
        guard !ids.isEmpty else {
            throw ServiceCenterAPIError(.serviceNotExists, "\(flag) failed, provider does not exist")
        }
        ids = filterByTags(ids, tags: request.tags, tenant: tenant)
        if let consumer {
            ids = ids.filter { id in
                guard let provider = service(id, in: tenant) else { return false }
                let allowed = accessible(consumer: consumer, provider: provider, tenant: tenant)
                if !allowed {
                    logger.info(
                        "consumer \(consumer.serviceId) may not access provider \(id): not allow across app access")
                }
                return allowed
            }
            if let first = ids.first, let provider = service(first, in: tenant) {
                recordDependency(consumerId: consumer.serviceId, provider: ProviderRule(provider), tenant: tenant)
            }
        }
        return result(ids, tenant: tenant, requestRevision: request.revision)
    }

    /// `POST /registry/instances/action?type=query` (`FindManyInstances`).
    func batchFind(_ request: BatchFindRequest, tenant: Tenant) throws(ServiceCenterAPIError) -> BatchFindResponse {
        if request.services.isEmpty, request.instances.isEmpty {
            throw ServiceCenterAPIError(.invalidParameters, "Required services or instances")
        }
        try RequestValidation.validate(batchFind: request)
        var response = BatchFindResponse()
        if !request.services.isEmpty {
            var outcome = BatchFindResult()
            for (index, entry) in request.services.enumerated() {
                let key = entry?.service ?? MicroServiceKey()
                let find = FindInstancesRequest(
                    consumerServiceId: request.consumerServiceId,
                    appId: key.appId,
                    serviceName: key.serviceName,
                    environment: key.environment,
                    alias: key.serviceName,
                    revision: entry?.revision ?? ""
                )
                do throws(ServiceCenterAPIError) {
                    let found = try self.find(find, tenant: tenant)
                    outcome.append(index: index, found)
                } catch {
                    guard error.code.rawValue < 500_000 else { throw error }
                    outcome.append(index: index, failure: error)
                }
            }
            response.services = outcome
        }
        if !request.instances.isEmpty {
            var outcome = BatchFindResult()
            for (index, entry) in request.instances.enumerated() {
                guard let entry else { continue }
                do throws(ServiceCenterAPIError) {
                    let found = try getInstance(
                        consumerId: request.consumerServiceId,
                        providerId: entry.serviceId,
                        instanceId: entry.instanceId,
                        tags: [],
                        requestRevision: entry.revision,
                        tenant: tenant
                    )
                    outcome.append(
                        index: index,
                        InstanceQueryResult(
                            instances: found.instance.map { [$0] },
                            revision: found.revision,
                            notModified: found.notModified
                        )
                    )
                } catch {
                    guard error.code.rawValue < 500_000 else { throw error }
                    outcome.append(index: index, failure: error)
                }
            }
            response.instances = outcome
        }
        return response
    }
}
