import Foundation

extension Registry {
    /// `POST /microservices/{serviceId}/instances` (`RegisterInstance`): validation, server defaults, lease, then a
    /// CREATE event. An `instanceId` that already exists is treated as a heartbeat: no overwrite, no event.
    func registerInstance(
        _ instance: MicroServiceInstance?,
        tenant: Tenant,
        keepAlive: Bool = false
    ) throws(ServiceCenterAPIError) -> String {
        try RequestValidation.validate(registerInstance: instance)
        guard var instance else { throw ServiceCenterAPIError(.invalidParameters, "Request body is empty") }

        // populateInstanceDefaultValue
        if instance.status.isEmpty { instance.status = "UP" }
        instance.timestamp = nowTimestamp()
        instance.modTimestamp = instance.timestamp
        if var check = instance.healthCheck {
            if check.mode == "push" {
                check.interval = max(check.interval, 5)
                check.times = max(check.times, 3)
            } else if check.mode == "pull" {
                check.interval = 30
                check.times = 3
            }
            instance.healthCheck = check
        } else {
            instance.healthCheck = HealthCheck(mode: "push", interval: 30, times: 3)
        }
        guard let service = service(instance.serviceId, in: tenant) else {
            throw ServiceCenterAPIError(.serviceNotExists, "Invalid 'serviceID' in request body.")
        }
        instance.version = service.version

        if !instance.instanceId.isEmpty,
            renewLease(serviceId: instance.serviceId, instanceId: instance.instanceId, tenant: tenant)
        {
            return instance.instanceId
        }
        if instance.instanceId.isEmpty { instance.instanceId = Identifiers.generate() }

        let check = instance.healthCheck!
        let ttl = Int64(check.interval) * (Int64(check.times) + 1)
        let record = InstanceRecord(
            instance: instance,
            ttlSeconds: ttl,
            leaseExpiry: clock.now().addingTimeInterval(TimeInterval(ttl)),
            modRevision: nextRevision(),
            keepAlive: keepAlive
        )
        let stored = instance
        try mutate(tenant) { $0.instances[stored.serviceId, default: [:]][stored.instanceId] = record }
        logger.info(
            "registered instance \(stored.serviceId)/\(stored.instanceId) ttl \(ttl)s endpoints \(stored.endpoints)")
        publish(.create, instance: stored, tenant: tenant)
        return stored.instanceId
    }

    /// Renews a lease; false when the instance does not exist.
    private func renewLease(serviceId: String, instanceId: String, tenant: Tenant) -> Bool {
        guard let record = tenants[tenant]?.instances[serviceId]?[instanceId] else { return false }
        tenants[tenant]!.instances[serviceId]![instanceId]!.leaseExpiry =
            clock.now().addingTimeInterval(TimeInterval(record.ttlSeconds))
        return true
    }

    /// `PUT .../heartbeat`: renews the lease; no event (the instance key does not change).
    func heartbeat(serviceId: String, instanceId: String, tenant: Tenant) throws(ServiceCenterAPIError) {
        try RequestValidation.validate(instanceAddress: serviceId, instanceId, typeName: "HeartbeatRequest")
        guard renewLease(serviceId: serviceId, instanceId: instanceId, tenant: tenant) else {
            throw ServiceCenterAPIError(.instanceNotExists, "leaseId not exist, instance not exist")
        }
    }

    /// `DELETE .../instances/{instanceId}`: revokes the lease; DELETE event with the last known instance.
    func unregisterInstance(serviceId: String, instanceId: String, tenant: Tenant) throws(ServiceCenterAPIError) {
        try RequestValidation.validate(instanceAddress: serviceId, instanceId, typeName: "UnregisterInstanceRequest")
        guard let record = tenants[tenant]?.instances[serviceId]?[instanceId] else {
            throw ServiceCenterAPIError(.instanceNotExists, "Instance's leaseId not exist.")
        }
        removeInstance(record, tenant: tenant)
        logger.info("unregistered instance \(serviceId)/\(instanceId)")
    }

    func removeInstance(_ record: InstanceRecord, tenant: Tenant) {
        let instance = record.instance
        tenants[tenant]?.instances[instance.serviceId]?[instance.instanceId] = nil
        if tenants[tenant]?.instances[instance.serviceId]?.isEmpty == true {
            tenants[tenant]?.instances[instance.serviceId] = nil
        }
        _ = nextRevision()
        publish(.delete, instance: instance, tenant: tenant)
    }

    /// `PUT .../status?value=`: rewrites the instance (new `modTimestamp`); UPDATE event. The lease is untouched.
    func setInstanceStatus(serviceId: String, instanceId: String, status: String, tenant: Tenant)
        throws(ServiceCenterAPIError)
    {
        try RequestValidation.validate(statusUpdate: serviceId, instanceId, status)
        try rewriteInstance(serviceId: serviceId, instanceId: instanceId, tenant: tenant) { $0.status = status }
    }

    /// `PUT .../properties`: replaces the properties; UPDATE event.
    func setInstanceProperties(
        serviceId: String,
        instanceId: String,
        properties: [String: String],
        tenant: Tenant
    ) throws(ServiceCenterAPIError) {
        try RequestValidation.validate(instanceAddress: serviceId, instanceId, typeName: "UpdateInstancePropsRequest")
        try rewriteInstance(serviceId: serviceId, instanceId: instanceId, tenant: tenant) { $0.properties = properties }
    }

    private func rewriteInstance(
        serviceId: String,
        instanceId: String,
        tenant: Tenant,
        _ change: (inout MicroServiceInstance) -> Void
    ) throws(ServiceCenterAPIError) {
        guard var record = tenants[tenant]?.instances[serviceId]?[instanceId] else {
            throw ServiceCenterAPIError(.instanceNotExists, "Service instance does not exist.")
        }
        change(&record.instance)
        record.instance.modTimestamp = nowTimestamp()
        record.modRevision = nextRevision()
        tenants[tenant]!.instances[serviceId]![instanceId] = record
        publish(.update, instance: record.instance, tenant: tenant)
    }

    /// Deletes every instance whose lease ran out at `now` (DELETE events); instances kept alive by the simulator
    /// are renewed instead. Returns the expired instances.
    @discardableResult
    func expireLeases(now: Date) -> [MicroServiceInstance] {
        var expired: [(Tenant, InstanceRecord)] = []
        for (tenant, state) in tenants {
            for records in state.instances.values {
                for record in records.values where record.leaseExpiry <= now {
                    if record.keepAlive {
                        tenants[tenant]!.instances[record.instance.serviceId]![record.instance.instanceId]!
                            .leaseExpiry =
                            now.addingTimeInterval(TimeInterval(record.ttlSeconds))
                    } else {
                        expired.append((tenant, record))
                    }
                }
            }
        }
        expired.sort { ($0.1.leaseExpiry, $0.1.instance.instanceId) < ($1.1.leaseExpiry, $1.1.instance.instanceId) }
        for (tenant, record) in expired {
            logger.info("lease of instance \(record.instance.serviceId)/\(record.instance.instanceId) expired")
            removeInstance(record, tenant: tenant)
        }
        return expired.map(\.1.instance)
    }
}
