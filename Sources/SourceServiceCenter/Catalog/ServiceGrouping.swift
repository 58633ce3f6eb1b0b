import BridgeKernel

/// Turns a ``ServiceCenterCatalog`` into the bridge's logical services: every version of an
/// (environment, app, name) in one ``Service``, its instances carrying their version.
public struct ServiceGrouping: Sendable {
    /// The source name put into every ``ServiceKey``.
    public var sourceName: String
    /// The tenant, `domain/project`.
    public var tenant: String
    /// Service names that are never published (Service Center itself, the watcher consumers).
    public var ignoredNames: Set<String>

    /// Creates a grouping.
    public init(sourceName: String, tenant: String, ignoredNames: Set<String>) {
        self.sourceName = sourceName
        self.tenant = tenant
        self.ignoredNames = ignoredNames
    }

    /// The logical service a registered service version belongs to; `nil` for ignored names.
    public func key(for service: SCService) -> ServiceKey? {
        guard !ignoredNames.contains(service.serviceName) else { return nil }
        return ServiceKey(
            source: sourceName, domain: tenant, environment: service.environment, app: service.appId,
            name: service.serviceName)
    }

    /// The logical services and a description of every endpoint or instance that had to be skipped.
    ///
    /// - Parameter keys: Only build these services (a watch event touches one); `nil` builds every service.
    public func services(from catalog: ServiceCenterCatalog, only keys: Set<ServiceKey>? = nil)
        -> (services: [ServiceKey: Service], problems: [String])
    {
        var memory = ConvertedInstances()
        return services(from: catalog, only: keys, remembering: &memory)
    }

    /// ``services(from:only:)`` converting each instance once: unchanged instances come from `memory`.
    func services(
        from catalog: ServiceCenterCatalog, only keys: Set<ServiceKey>?, remembering memory: inout ConvertedInstances
    ) -> (services: [ServiceKey: Service], problems: [String]) {
        var grouped: [ServiceKey: (versions: [SCService], instances: [Instance])] = [:]
        var problems: [String] = []
        // A few services (a watch event, a poll that found little new) are found through the name index rather
        // than by scanning every service.
        let candidates: [SCService] =
            if let keys {
                Set(keys.map(\.name)).flatMap { catalog.serviceIdsByName[$0] ?? [] }.compactMap { catalog.services[$0] }
            } else {
                Array(catalog.services.values)
            }
        for service in candidates {
            guard let key = key(for: service), keys?.contains(key) ?? true else { continue }
            var entry = grouped[key] ?? ([], [])
            entry.versions.append(service)
            let current = catalog.instances[service.serviceId]
            for raw in (current ?? [:]).values {
                let (instance, instanceProblems) = memory.convert(raw, of: service, using: self)
                problems += instanceProblems
                if let instance { entry.instances.append(instance) }
            }
            memory.forgetDeparted(ofService: service.serviceId, current: current)
            grouped[key] = entry
        }
        var result: [ServiceKey: Service] = [:]
        for (key, entry) in grouped {
            // Later versions' properties win, so the metadata follows the newest release.
            var metadata: [String: String] = [:]
            for version in entry.versions.sorted(by: { ($0.version, $0.serviceId) < ($1.version, $1.serviceId) }) {
                metadata.merge(version.properties) { _, newer in newer }
            }
            let instances = entry.instances.sorted { $0.id < $1.id }
            result[key] = Service(key: key, instances: instances, metadata: metadata)
        }
        return (result, problems)
    }

    /// Converts one instance; unusable endpoints are skipped, an instance without any usable endpoint is dropped.
    func convert(_ raw: SCInstance, of service: SCService) -> (Instance?, [String]) {
        var problems: [String] = []
        // Only built for a problem: this runs for every changed instance.
        var context: String {
            "service \(service.serviceId) (\(service.appId)/\(service.serviceName)) instance \(raw.instanceId)"
        }
        var endpoints: [Endpoint] = []
        for text in raw.endpoints {
            do {
                endpoints.append(try Endpoint.parse(text))
            } catch {
                problems.append("\(context): skipping \(error)")
            }
        }
        guard !endpoints.isEmpty else {
            problems.append("\(context): no usable endpoint; instance skipped")
            return (nil, problems)
        }
        var status = InstanceStatus.up
        if !raw.status.isEmpty {
            if let parsed = InstanceStatus(registryValue: raw.status) {
                status = parsed
            } else {
                problems.append("\(context): unknown status \(raw.status.debugDescription), treated as DOWN")
                status = .down
            }
        }
        let instance = Instance(
            id: raw.instanceId, hostName: raw.hostName, version: raw.version.isEmpty ? service.version : raw.version,
            endpoints: endpoints, status: status, metadata: raw.properties, region: raw.region, zone: raw.zone)
        return (instance, problems)
    }
}
