import Foundation

/// A stored service with its tags.
struct ServiceRecord: Sendable {
    var service: MicroService
    var tags: [String: String]
}

/// A stored instance with its lease and the simulated etcd revision of its last write.
struct InstanceRecord: Sendable {
    var instance: MicroServiceInstance
    var ttlSeconds: Int64
    var leaseExpiry: Date
    var modRevision: Int64
    /// Renewed by the simulator itself, like an instance that keeps heartbeating (seeded instances, SC's own).
    var keepAlive: Bool
}

/// The provider side of a dependency rule: Service Center stores it with version `0.0.0+`, so it covers every
/// version of the provider's environment/app/name.
struct ProviderRule: Sendable, Hashable {
    var environment: String
    var appId: String
    var serviceName: String

    init(environment: String, appId: String, serviceName: String) {
        self.environment = environment
        self.appId = appId
        self.serviceName = serviceName
    }

    init(_ service: MicroService) {
        self.init(environment: service.environment, appId: service.appId, serviceName: service.serviceName)
    }

    func covers(_ service: MicroService) -> Bool {
        service.environment == environment && service.appId == appId && service.serviceName == serviceName
    }
}

/// One tenant's data.
struct TenantState: Sendable {
    var services: [String: ServiceRecord] = [:] {
        didSet {
            consumersOfProvider.removeAll()
            servicesByName = nil
        }
    }
    /// serviceId → instanceId → record.
    var instances: [String: [String: InstanceRecord]] = [:]
    /// consumer serviceId → providers it depends on.
    var dependencies: [String: Set<ProviderRule>] = [:] {
        didSet { consumersOfProvider.removeAll() }
    }
    /// provider serviceId → the consumers its instance events go to. Every instance event needs this answer and
    /// computing it walks every consumer's rules, so it is kept until a service or a dependency changes.
    var consumersOfProvider: [String: [String]] = [:]
    /// (environment, app, name) → service ids, built on the first lookup after a service changed: finds look
    /// services up by name, and scanning every service per find made a resync of a large registry quadratic.
    var servicesByName: [ServiceName: [String]]?
}

/// The (environment, app, name) a find looks a service up by.
struct ServiceName: Hashable, Sendable {
    var environment: String
    var appId: String
    var name: String
}

/// The answer of an instance query: the instances (`nil` when the client's `rev` is current) and the revision.
struct InstanceQueryResult: Sendable {
    var instances: [MicroServiceInstance]?
    var revision: String
    /// True when the request carried a `rev` equal to the current one (HTTP 304).
    var notModified: Bool
}
