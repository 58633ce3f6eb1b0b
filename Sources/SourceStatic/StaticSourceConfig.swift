import BridgeKernel

/// Reads the `static` source's `services:` list.
public enum StaticSourceConfig {
    /// Config keys of the `static` source.
    public static let configKeys: Set<String> = ["services"]

    static let serviceKeys: Set<String> = [
        "name", "app", "environment", "domain", "metadata", "location", "resolution", "hosts", "ports", "instances",
    ]
    static let portKeys: Set<String> = ["number", "protocol", "name"]
    static let instanceKeys: Set<String> = [
        "id", "hostName", "version", "endpoints", "status", "metadata", "region", "zone",
    ]

    /// Builds the source from its config section.
    public static func decode(name: String, config: ConfigMapping) -> StaticSource? {
        guard let list = config.required("services")?.list() else { return nil }
        let services = list.map { decodeService($0, source: name) }
        guard services.allSatisfy({ $0 != nil }) else { return nil }
        var seen = Set<ServiceKey>()
        for (index, service) in services.enumerated() where !seen.insert(service!.key).inserted {
            list[index].fail(.invalidValue, "service \(service!.key) is declared twice")
            return nil
        }
        return StaticSource(name: name, services: services.map { $0! })
    }

    private static func decodeService(_ node: ConfigNode, source: String) -> Service? {
        guard let mapping = node.mapping(allowedKeys: serviceKeys) else { return nil }
        var ok = true
        func text(_ key: String, default value: String) -> String {
            guard let node = mapping[key] else { return value }
            guard let text = node.string() else {
                ok = false
                return value
            }
            return text
        }
        let serviceName = mapping.required("name")?.nonEmptyString()
        let key = ServiceKey(
            source: source, domain: text("domain", default: "default"), environment: text("environment", default: ""),
            app: text("app", default: "default"), name: serviceName ?? "")
        var mesh = MeshOverrides()
        if let node = mapping["location"] {
            if let value = node.oneOf(MeshLocation.allCases.map(\.rawValue)) {
                mesh.location = MeshLocation(rawValue: value)
            } else {
                ok = false
            }
        }
        if let node = mapping["resolution"] {
            if let value = node.oneOf(MeshResolution.allCases.map(\.rawValue)) {
                mesh.resolution = MeshResolution(rawValue: value)
            } else {
                ok = false
            }
        }
        if let node = mapping["hosts"] {
            if let hosts = node.stringList(), !hosts.isEmpty {
                mesh.hosts = hosts
            } else {
                node.fail(.invalidValue, "hosts must be a non-empty list of host names")
                ok = false
            }
        }
        if let node = mapping["ports"] {
            if let ports = node.list()?.map(decodePort), ports.allSatisfy({ $0 != nil }) {
                mesh.ports = ports.map { $0! }
            } else {
                ok = false
            }
        }
        let metadata = mapping["metadata"].map { $0.stringMap() } ?? [:]
        let instances = mapping["instances"].map { node in node.list()?.map(decodeInstance) } ?? []
        guard ok, serviceName != nil, let metadata, let instances, instances.allSatisfy({ $0 != nil }) else {
            return nil
        }
        return Service(key: key, instances: instances.map { $0! }, metadata: metadata, mesh: mesh)
    }

    private static func decodePort(_ node: ConfigNode) -> ServicePort? {
        guard let mapping = node.mapping(allowedKeys: portKeys) else { return nil }
        let number = mapping.required("number")?.int(in: 1...65535)
        let proto = mapping.required("protocol")?.oneOf([
            "HTTP", "HTTPS", "GRPC", "GRPC-WEB", "HTTP2", "HTTP_PROXY", "TCP", "TLS", "UDP", "MONGO", "REDIS", "MYSQL",
        ])
        var name: String?
        if let nameNode = mapping["name"] {
            name = nameNode.nonEmptyString()
            if name == nil { return nil }
        }
        guard let number, let proto else { return nil }
        return ServicePort(number: number, protocol: proto, name: name)
    }

    private static func decodeInstance(_ node: ConfigNode) -> Instance? {
        guard let mapping = node.mapping(allowedKeys: instanceKeys) else { return nil }
        let id = mapping.required("id")?.nonEmptyString()
        let endpointNodes = mapping.required("endpoints")?.list()
        var endpoints: [Endpoint] = []
        var ok = true
        for endpointNode in endpointNodes ?? [] {
            guard let text = endpointNode.string() else {
                ok = false
                continue
            }
            do {
                endpoints.append(try Endpoint.parse(text))
            } catch {
                endpointNode.fail(.invalidValue, "\(error)")
                ok = false
            }
        }
        var status = InstanceStatus.up
        if let statusNode = mapping["status"] {
            if let text = statusNode.oneOf(InstanceStatus.allCases.map(\.rawValue)) {
                status = InstanceStatus(rawValue: text)!
            } else {
                ok = false
            }
        }
        func text(_ key: String) -> String? {
            guard let node = mapping[key] else { return "" }
            return node.string()
        }
        let metadata = mapping["metadata"].map { $0.stringMap() } ?? [:]
        guard ok, let id, endpointNodes != nil, let hostName = text("hostName"), let version = text("version"),
            let region = text("region"), let zone = text("zone"), let metadata
        else { return nil }
        return Instance(
            id: id, hostName: hostName, version: version, endpoints: endpoints, status: status, metadata: metadata,
            region: region, zone: zone)
    }
}
