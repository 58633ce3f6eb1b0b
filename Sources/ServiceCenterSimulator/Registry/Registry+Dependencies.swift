extension Registry {
    /// Records consumer → provider (all versions) unless a lost-registration fault swallows it. Returns whether a
    /// new rule was stored.
    @discardableResult
    func recordDependency(consumerId: String, provider: ProviderRule, tenant: Tenant) -> Bool {
        if tenants[tenant]?.dependencies[consumerId]?.contains(provider) == true { return false }
        if faults.consumeDependencyLoss() {
            logger.info(
                "fault: lost dependency registration \(consumerId) -> \(provider.appId)/\(provider.serviceName)"
            )
            return false
        }
        tenants[tenant, default: TenantState()].dependencies[consumerId, default: []].insert(provider)
        logger.info("dependency \(consumerId) -> \(provider.environment)/\(provider.appId)/\(provider.serviceName)")
        return true
    }

    /// `POST` (add) / `PUT` (override) `/registry/dependencies`.
    func putDependencies(_ dependencies: [ConsumerDependency?], override: Bool, tenant: Tenant)
        throws(ServiceCenterAPIError)
    {
        try RequestValidation.validate(
            dependencies: dependencies,
            typeName: override ? "CreateDependenciesRequest" : "AddDependenciesRequest",
            requireProviders: !override
        )
        var resolved: [(String, Set<ProviderRule>)] = []
        for dependency in dependencies.compactMap({ $0 }) {
            guard let key = dependency.consumer else { continue }
            let flag = [key.environment, key.appId, key.serviceName, key.version].joined(separator: "/")
            let consumerId = state(tenant).services.values.first {
                $0.service.environment == key.environment && $0.service.appId == key.appId
                    && $0.service.serviceName == key.serviceName && $0.service.version == key.version
            }?.service.serviceId
            guard let consumerId else {
                throw ServiceCenterAPIError(.serviceNotExists, "Consumer \(flag) does not exist.")
            }
            let rules = dependency.providers.compactMap { $0 }.map { provider in
                ProviderRule(
                    environment: provider.environment.isEmpty ? key.environment : provider.environment,
                    appId: provider.appId.isEmpty ? key.appId : provider.appId,
                    serviceName: provider.serviceName
                )
            }
            resolved.append((consumerId, Set(rules)))
        }
        for (consumerId, rules) in resolved {
            if override {
                tenants[tenant, default: TenantState()].dependencies[consumerId] = rules
            } else {
                tenants[tenant, default: TenantState()].dependencies[consumerId, default: []].formUnion(rules)
            }
        }
    }

    /// `GET /microservices/{consumerId}/providers`: every service version a consumer's rules cover.
    func listProviders(consumerId: String, tenant: Tenant) throws(ServiceCenterAPIError) -> [MicroService] {
        try RequestValidation.validate(serviceId: consumerId, typeName: "GetDependenciesRequest")
        guard service(consumerId, in: tenant) != nil else {
            throw ServiceCenterAPIError(.serviceNotExists, "Consumer does not exist")
        }
        let rules = state(tenant).dependencies[consumerId] ?? []
        return state(tenant).services.values.map(\.service)
            .filter { service in rules.contains(where: { $0.covers(service) }) }
            .sorted { $0.serviceId < $1.serviceId }
    }

    /// `GET /microservices/{providerId}/consumers`.
    func listConsumers(providerId: String, tenant: Tenant) throws(ServiceCenterAPIError) -> [MicroService] {
        try RequestValidation.validate(serviceId: providerId, typeName: "GetDependenciesRequest")
        guard let provider = service(providerId, in: tenant) else {
            throw ServiceCenterAPIError(.serviceNotExists, "Provider does not exist")
        }
        return consumerIds(of: provider, tenant: tenant).compactMap { service($0, in: tenant) }
    }

    /// Whether `consumerId` currently has a rule covering `providerId` (for tests and the admin API).
    func dependsOn(consumerId: String, providerId: String, tenant: Tenant) -> Bool {
        guard let provider = service(providerId, in: tenant) else { return false }
        return state(tenant).dependencies[consumerId]?.contains(where: { $0.covers(provider) }) ?? false
    }
}
