extension Registry {
    /// `POST /microservices` (`RegisterService` + `registerServiceDetails`).
    func registerService(_ request: CreateServiceRequest, tenant: Tenant) throws(ServiceCenterAPIError) -> String {
        guard var service = request.service else {
            throw ServiceCenterAPIError(.invalidParameters, "Request body is empty")
        }
        // SetServiceDefaultValue runs before validation.
        if service.appId.isEmpty { service.appId = "default" }
        if service.version.isEmpty { service.version = "0.0.1" }
        if service.level.isEmpty { service.level = "BACK" }
        if service.status.isEmpty { service.status = "UP" }
        try RequestValidation.validate(createService: service)
        service.timestamp = nowTimestamp()
        service.modTimestamp = service.timestamp

        let requestedId = service.serviceId
        if requestedId.isEmpty { service.serviceId = Identifiers.generate() }
        let candidate = service
        let existing = state(tenant).services.values.first {
            $0.service.environment == candidate.environment && $0.service.appId == candidate.appId
                && $0.service.serviceName == candidate.serviceName && $0.service.version == candidate.version
        }?.service.serviceId
        let aliasOwner =
            candidate.alias.isEmpty
            ? nil
            : state(tenant).services.values.first {
                $0.service.environment == candidate.environment && $0.service.appId == candidate.appId
                    && $0.service.alias == candidate.alias && $0.service.version == candidate.version
            }?.service.serviceId
        let idTaken = state(tenant).services[candidate.serviceId] != nil

        let serviceId: String
        if existing == nil, aliasOwner == nil, !idTaken {
            try mutate(tenant) {
                $0.services[candidate.serviceId] = ServiceRecord(service: candidate, tags: request.tags)
            }
            logger.info("registered service \(candidate.serviceId) \(candidate.appId)/\(candidate.serviceName)")
            serviceId = candidate.serviceId
        } else {
            // The etcd transaction failed; the id of the existing index entry is the answer.
            let owner = existing ?? aliasOwner
            if !requestedId.isEmpty, owner != requestedId {
                throw ServiceCenterAPIError(
                    .serviceAlreadyExists,
                    "ServiceID conflict or found the same service with different id."
                )
            }
            guard let owner else { throw ServiceCenterAPIError(.internalError, "Unexpected txn response.") }
            serviceId = owner
        }

        guard !request.instances.isEmpty else { return serviceId }
        var errors: [String] = []
        for instance in request.instances {
            var instance = instance
            instance?.serviceId = serviceId
            do {
                _ = try registerInstance(instance, tenant: tenant)
            } catch {
                errors.append(error.goErrorText)
            }
        }
        if !errors.isEmpty {
            throw ServiceCenterAPIError(.invalidParameters, "errMessages: [\(errors.joined(separator: " "))]")
        }
        return serviceId
    }

    /// `GET /microservices/{serviceId}`.
    func getService(_ serviceId: String, tenant: Tenant) throws(ServiceCenterAPIError) -> MicroService {
        try RequestValidation.validate(serviceId: serviceId, typeName: "GetServiceRequest")
        guard let service = service(serviceId, in: tenant) else {
            throw ServiceCenterAPIError(.serviceNotExists, "Service does not exist.")
        }
        return service
    }

    /// `GET /microservices`: every service sorted by id (etcd key order), shared ones only with `withShared`.
    func listServices(tenant: Tenant, withShared: Bool) -> [MicroService] {
        state(tenant).services.values.map(\.service)
            .filter { withShared || tenant != .default || !Self.isGlobal($0, tenant: tenant) }
            .sorted { $0.serviceId < $1.serviceId }
    }

    /// `GET /existence?type=microservice`.
    func existence(_ key: MicroServiceKey, tenant: Tenant) throws(ServiceCenterAPIError) -> String {
        try RequestValidation.validate(existence: key)
        let flag = [key.environment, key.appId, key.serviceName, key.version].joined(separator: "/")
        let ids = serviceIds(
            tenant: tenant,
            environment: key.environment,
            appId: key.appId,
            name: key.serviceName,
            alias: key.serviceName
        )
        guard !ids.isEmpty else { throw ServiceCenterAPIError(.serviceNotExists, "\(flag) does not exist.") }
        guard let match = ids.first(where: { service($0, in: tenant)?.version == key.version }) else {
            throw ServiceCenterAPIError(.serviceVersionNotExists, "\(flag) version mismatch.")
        }
        return match
    }

    /// `PUT /microservices/{serviceId}/properties`: replaces the properties (no watch event; only instances are
    /// watched).
    func updateServiceProperties(_ serviceId: String, properties: [String: String], tenant: Tenant)
        throws(ServiceCenterAPIError)
    {
        try RequestValidation.validate(serviceId: serviceId, typeName: "UpdateServicePropsRequest")
        let timestamp = nowTimestamp()
        try mutate(tenant) { state throws(ServiceCenterAPIError) in
            guard state.services[serviceId] != nil else {
                throw ServiceCenterAPIError(.serviceNotExists, "Service does not exist.")
            }
            state.services[serviceId]!.service.properties = properties
            state.services[serviceId]!.service.modTimestamp = timestamp
        }
    }

    /// `DELETE /microservices/{serviceId}?force=`.
    func deleteService(_ serviceId: String, force: Bool, tenant: Tenant) throws(ServiceCenterAPIError) {
        try RequestValidation.validate(serviceId: serviceId, typeName: "DeleteServiceRequest")
        if tenant == .default, serviceId == selfServiceId {
            throw ServiceCenterAPIError(.invalidParameters, "not allow to delete service center")
        }
        guard let service = service(serviceId, in: tenant) else {
            throw ServiceCenterAPIError(.serviceNotExists, "Service does not exist.")
        }
        if !force {
            let consumers = consumerIds(of: service, tenant: tenant)
            if consumers.count > 1 || (consumers.count == 1 && consumers[0] != serviceId) {
                throw ServiceCenterAPIError(
                    .dependedOnConsumer,
                    "Can not delete this service, other service rely it."
                )
            }
            if !(state(tenant).instances[serviceId] ?? [:]).isEmpty {
                throw ServiceCenterAPIError(.deployedInstance, "Can not delete the service deployed instance(s).")
            }
        }
        // Instances are revoked first (DELETE events), then the service and its dependency rules go.
        let doomed = (state(tenant).instances[serviceId] ?? [:]).values.sorted {
            $0.instance.instanceId < $1.instance.instanceId
        }
        for record in doomed {
            try mutate(tenant) { _ = $0.instances[serviceId]?.removeValue(forKey: record.instance.instanceId) }
            _ = nextRevision()
            publish(.delete, instance: record.instance, tenant: tenant)
        }
        try mutate(tenant) { state in
            state.instances[serviceId] = nil
            state.services[serviceId] = nil
            state.dependencies[serviceId] = nil
        }
        logger.info("deleted service \(serviceId) (force: \(force))")
    }
}
