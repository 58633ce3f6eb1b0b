import Foundation
import Logging

/// The simulated Service Center data store: services, instances with leases and dependencies per tenant.
///
/// Every REST handler and every Swift helper of ``ServiceCenterSimulator`` goes through these methods, so
/// validation, defaults and watch events are identical whichever way a change arrives. Mutations publish their
/// watch events before returning, which keeps event order deterministic.
actor Registry {
    /// Service names visible across tenants (`datasource.GlobalServiceNames`).
    static let globalServiceNames: Set<String> = ["SERVICECENTER"]
    static let selfServiceName = "SERVICECENTER"

    let clock: any SimulatorClock
    let hub: EventHub
    let faults: SimulatorFaults
    let identity: ServerIdentity
    let logger: Logger

    var tenants: [Tenant: TenantState] = [:]
    /// The simulated etcd revision, bumped by every instance write.
    var revision: Int64 = 1
    /// Id of the `SERVICECENTER` self-registration in `default/default`.
    var selfServiceId: String?
    var selfInstanceId: String?

    init(clock: any SimulatorClock, hub: EventHub, faults: SimulatorFaults, identity: ServerIdentity, logger: Logger) {
        self.clock = clock
        self.hub = hub
        self.faults = faults
        self.identity = identity
        self.logger = logger
    }

    // MARK: Lookup helpers

    func state(_ tenant: Tenant) -> TenantState {
        tenants[tenant] ?? TenantState()
    }

    func mutate<Result>(_ tenant: Tenant, _ body: (inout TenantState) throws(ServiceCenterAPIError) -> Result)
        throws(ServiceCenterAPIError) -> Result
    {
        // In place: a copy taken out of `tenants` would share storage with it, so the first write copied every
        // service and instance of the tenant (seeding 100 000 instances was quadratic).
        try body(&tenants[tenant, default: TenantState()])
    }

    func service(_ id: String, in tenant: Tenant) -> MicroService? {
        tenants[tenant]?.services[id]?.service
    }

    /// `datasource.IsGlobal`: shared services live in `default/default`, app `default`.
    static func isGlobal(tenant: Tenant, appId: String, serviceName: String, alias: String) -> Bool {
        tenant == .default && appId == "default"
            && (globalServiceNames.contains(serviceName) || globalServiceNames.contains(alias))
    }

    static func isGlobal(_ service: MicroService, tenant: Tenant) -> Bool {
        isGlobal(tenant: tenant, appId: service.appId, serviceName: service.serviceName, alias: service.alias)
    }

    /// Service ids for environment/app/name (all versions), falling back to the alias like `FindServiceIds`; sorted
    /// the way the etcd index keys sort (by version text).
    func serviceIds(tenant: Tenant, environment: String, appId: String, name: String, alias: String) -> [String] {
        let state = state(tenant)
        let index: [ServiceName: [String]]
        if let known = state.servicesByName {
            index = known
        } else {
            index = Dictionary(
                grouping: state.services.values.map(\.service),
                by: { ServiceName(environment: $0.environment, appId: $0.appId, name: $0.serviceName) }
            ).mapValues { $0.map(\.serviceId) }
            tenants[tenant]?.servicesByName = index
        }
        let key = ServiceName(environment: environment, appId: appId, name: name)
        var matches = (index[key] ?? []).compactMap { state.services[$0]?.service }
        if matches.isEmpty, !alias.isEmpty {
            matches = state.services.values.map(\.service).filter {
                $0.environment == environment && $0.appId == appId && $0.alias == alias
            }
        }
        return matches.sorted { ($0.version, $0.serviceId) < ($1.version, $1.serviceId) }.map(\.serviceId)
    }

    /// Instances of the given services in etcd key order (service id list order, then instance id).
    func instances(of serviceIds: [String], tenant: Tenant) -> (instances: [MicroServiceInstance], revision: String) {
        let state = state(tenant)
        var result: [MicroServiceInstance] = []
        var maxRevision: Int64 = 0
        for id in serviceIds {
            let records = (state.instances[id] ?? [:]).values.sorted { $0.instance.instanceId < $1.instance.instanceId }
            for record in records {
                result.append(record.instance)
                maxRevision = max(maxRevision, record.modRevision)
            }
        }
        return (result, InstanceRevision.of(maxModRevision: maxRevision, count: result.count))
    }

    func nowTimestamp() -> String {
        Identifiers.timestamp(clock.now())
    }

    func nextRevision() -> Int64 {
        revision += 1
        return revision
    }

    // MARK: Events

    /// Consumer ids whose dependency rules cover `provider` (`GetConsumerIds`).
    func consumerIds(of provider: MicroService, tenant: Tenant) -> [String] {
        let state = state(tenant)
        if let known = state.consumersOfProvider[provider.serviceId] { return known }
        let consumers = state.dependencies.compactMap { consumerId, rules -> String? in
            guard state.services[consumerId] != nil, rules.contains(where: { $0.covers(provider) }) else { return nil }
            return consumerId
        }.sorted()
        if state.services[provider.serviceId]?.service == provider {
            tenants[tenant]?.consumersOfProvider[provider.serviceId] = consumers
        }
        return consumers
    }

    /// Publishes an instance event to the provider's consumers (`PublishInstanceEvent`).
    func publish(_ action: InstanceEventAction, instance: MicroServiceInstance, tenant: Tenant) {
        guard let provider = service(instance.serviceId, in: tenant) else {
            // Service Center drops events whose provider it can no longer read.
            logger.debug("dropping \(action.rawValue) event of instance \(instance.instanceId): provider gone")
            return
        }
        let event = WatchEvent(
            action: action, key: MicroServiceKey(tenant: tenant, service: provider), instance: instance)
        hub.publish(event, tenant: tenant, consumerIds: consumerIds(of: provider, tenant: tenant), date: clock.now())
    }
}
