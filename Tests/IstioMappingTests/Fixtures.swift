import BridgeKernel

/// Small builders for registry data used across the mapping tests.
enum Fixture {
    static func instance(
        _ id: String, _ endpoints: [String], status: InstanceStatus = .up, hostName: String = "host",
        version: String = "1.0.0", metadata: [String: String] = [:], region: String = "", zone: String = ""
    ) -> Instance {
        Instance(
            id: id, hostName: hostName, version: version, endpoints: endpoints.map { try! Endpoint.parse($0) },
            status: status, metadata: metadata, region: region, zone: zone)
    }

    static func service(
        _ name: String, app: String = "shop", environment: String = "", domain: String = "default",
        instances: [Instance] = [], mesh: MeshOverrides = MeshOverrides()
    ) -> Service {
        Service(
            key: ServiceKey(source: "sc", domain: domain, environment: environment, app: app, name: name),
            instances: instances, mesh: mesh)
    }
}

extension ObjectGroup {
    var serviceEntry: ManifestObject? { objects.first { $0.kind == "ServiceEntry" } }
    var workloadEntries: [ManifestObject] { objects.filter { $0.kind == "WorkloadEntry" } }
}
