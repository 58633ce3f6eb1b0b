extension ServiceCenterSimulator {
    private func rejected<T>(
        _ context: @autoclosure () -> String,
        _ body: () async throws(ServiceCenterAPIError) -> T
    ) async throws -> T {
        do throws(ServiceCenterAPIError) {
            return try await body()
        } catch {
            throw SimulatorError(.registryRejected, context(), apiError: error)
        }
    }

    /// Registers a service exactly like `POST /v4/{project}/registry/microservices` and returns its id (the
    /// existing id when the environment/app/name/version key is already registered).
    @discardableResult
    public func registerService(
        _ service: MicroService,
        tags: [String: String] = [:],
        tenant: Tenant = .default
    ) async throws -> String {
        try await rejected(
            "registering service \(service.appId)/\(service.serviceName)/\(service.version) in \(tenant)"
        ) {
            () async throws(ServiceCenterAPIError) -> String in
            try await core.registry.registerService(
                CreateServiceRequest(service: service, tags: tags),
                tenant: tenant
            )
        }
    }

    /// Registers an instance like `POST .../microservices/{serviceId}/instances` (CREATE event) and returns its id.
    ///
    /// - Parameter keepAlive: when true the simulator renews the lease itself, as if the instance heartbeated.
    @discardableResult
    public func registerInstance(
        _ instance: MicroServiceInstance,
        tenant: Tenant = .default,
        keepAlive: Bool = false
    ) async throws -> String {
        try await rejected("registering an instance of service \(instance.serviceId) in \(tenant)") {
            () async throws(ServiceCenterAPIError) -> String in
            try await core.registry.registerInstance(instance, tenant: tenant, keepAlive: keepAlive)
        }
    }

    /// Renews an instance lease like `PUT .../heartbeat` (no event).
    public func heartbeat(serviceId: String, instanceId: String, tenant: Tenant = .default) async throws {
        try await rejected("heartbeat of instance \(serviceId)/\(instanceId) in \(tenant)") {
            () async throws(ServiceCenterAPIError) in
            try await core.registry.heartbeat(serviceId: serviceId, instanceId: instanceId, tenant: tenant)
        }
    }

    /// Sets an instance status like `PUT .../status?value=` (UPDATE event).
    public func setInstanceStatus(
        _ status: String,
        serviceId: String,
        instanceId: String,
        tenant: Tenant = .default
    ) async throws {
        try await rejected("setting status \(status) of instance \(serviceId)/\(instanceId) in \(tenant)") {
            () async throws(ServiceCenterAPIError) in
            try await core.registry.setInstanceStatus(
                serviceId: serviceId,
                instanceId: instanceId,
                status: status,
                tenant: tenant
            )
        }
    }

    /// Replaces instance properties like `PUT .../properties` (UPDATE event).
    public func setInstanceProperties(
        _ properties: [String: String],
        serviceId: String,
        instanceId: String,
        tenant: Tenant = .default
    ) async throws {
        try await rejected("setting properties of instance \(serviceId)/\(instanceId) in \(tenant)") {
            () async throws(ServiceCenterAPIError) in
            try await core.registry.setInstanceProperties(
                serviceId: serviceId,
                instanceId: instanceId,
                properties: properties,
                tenant: tenant
            )
        }
    }

    /// Unregisters an instance like `DELETE .../instances/{instanceId}` (DELETE event).
    public func unregisterInstance(serviceId: String, instanceId: String, tenant: Tenant = .default) async throws {
        try await rejected("unregistering instance \(serviceId)/\(instanceId) in \(tenant)") {
            () async throws(ServiceCenterAPIError) in
            try await core.registry.unregisterInstance(serviceId: serviceId, instanceId: instanceId, tenant: tenant)
        }
    }

    /// Unregisters a service like `DELETE .../microservices/{serviceId}?force=`; with `force` its instances go too
    /// (DELETE events).
    public func unregisterService(_ serviceId: String, force: Bool = true, tenant: Tenant = .default) async throws {
        try await rejected("unregistering service \(serviceId) in \(tenant)") {
            () async throws(ServiceCenterAPIError) in
            try await core.registry.deleteService(serviceId, force: force, tenant: tenant)
        }
    }

    /// Replaces service properties like `PUT .../microservices/{serviceId}/properties` (no event).
    public func updateServiceProperties(
        _ properties: [String: String],
        serviceId: String,
        tenant: Tenant = .default
    ) async throws {
        try await rejected("updating properties of service \(serviceId) in \(tenant)") {
            () async throws(ServiceCenterAPIError) in
            try await core.registry.updateServiceProperties(serviceId, properties: properties, tenant: tenant)
        }
    }

    /// Adds consumer → provider dependencies like `POST /v4/{project}/registry/dependencies`. Providers match by
    /// environment/app/name, every version.
    public func addDependencies(
        consumer: MicroServiceKey,
        providers: [MicroServiceKey],
        tenant: Tenant = .default
    ) async throws {
        try await rejected("adding dependencies of \(consumer.appId)/\(consumer.serviceName) in \(tenant)") {
            () async throws(ServiceCenterAPIError) in
            try await core.registry.putDependencies(
                [ConsumerDependency(consumer: consumer, providers: providers)],
                override: false,
                tenant: tenant
            )
        }
    }

    /// The services of a tenant, sorted by id; `SERVICECENTER` only with `withShared`.
    public func services(tenant: Tenant = .default, withShared: Bool = false) async -> [MicroService] {
        await core.registry.listServices(tenant: tenant, withShared: withShared)
    }

    /// One service, or `nil`.
    public func service(_ serviceId: String, tenant: Tenant = .default) async -> MicroService? {
        await core.registry.service(serviceId, in: tenant)
    }

    /// The instances of a service, sorted by instance id.
    public func instances(serviceId: String, tenant: Tenant = .default) async -> [MicroServiceInstance] {
        await core.registry.instances(of: [serviceId], tenant: tenant).instances
    }

    /// Whether a consumer has a dependency rule covering a provider (what makes watch events flow).
    public func dependsOn(consumerId: String, providerId: String, tenant: Tenant = .default) async -> Bool {
        await core.registry.dependsOn(consumerId: consumerId, providerId: providerId, tenant: tenant)
    }

    /// The id of Service Center's own `SERVICECENTER` service once started.
    public var selfServiceId: String? {
        get async { await core.registry.selfServiceId }
    }
}
