import BridgeKernel

/// Renders a registry service as one Istio `ServiceEntry` and, in WorkloadEntry mode, one `WorkloadEntry` per
/// routed instance. Pure and deterministic: the same service always yields byte-identical objects.
///
/// The rules (see the README's "Mapping" section): one ServiceEntry per logical service (`MESH_INTERNAL`,
/// `STATIC`, or `DNS` when an instance registered a host name), hosts from the templates, ports as the union of
/// every instance's endpoint ports named `<protocol>-<port>`; only instances whose status is routed (default UP)
/// get a WorkloadEntry or inline endpoint; every object carries the ownership labels.
public struct IstioRenderer: ServiceRenderer {
    /// The settings.
    public let settings: IstioRenderSettings

    /// Creates a renderer.
    public init(settings: IstioRenderSettings = IstioRenderSettings()) {
        self.settings = settings
    }

    /// A ServiceEntry port.
    struct PortSpec {
        var number: Int
        var `protocol`: String
        var name: String
    }

    /// An instance reduced to what the mesh needs: one address and its ports.
    struct Workload {
        var instance: Instance
        var address: String
        var endpoints: [Endpoint]
    }

    public func render(_ service: Service) -> RenderResult {
        var diagnostics: [Diagnostic] = []
        let key = service.key
        let name = ObjectNaming.serviceEntryName(for: key)

        let workloads = service.instances.sorted { $0.id < $1.id }.compactMap { instance -> Workload? in
            guard let first = instance.endpoints.first else {
                diagnostics.append(
                    Diagnostic(
                        .warning, service: key, instanceID: instance.id, "has no usable endpoints; not published"))
                return nil
            }
            let sameHost = instance.endpoints.filter { $0.host == first.host }
            for other in instance.endpoints where other.host != first.host {
                diagnostics.append(
                    Diagnostic(
                        .warning, service: key, instanceID: instance.id,
                        "endpoint \(other) is on another address than \(first.host); only \(first.host) is published"))
            }
            return Workload(instance: instance, address: first.host, endpoints: sameHost)
        }

        let ports = servicePorts(service: service, workloads: workloads, diagnostics: &diagnostics)
        let portNames = Dictionary(uniqueKeysWithValues: ports.map { ($0.number, $0.name) })
        let routed = workloads.filter { settings.routeStatuses.contains($0.instance.status) }
        let resolution =
            service.mesh.resolution ?? (workloads.contains { !isIPAddress($0.address) } ? .dns : .static)
        let location = service.mesh.location ?? .meshInternal

        let hosts = service.mesh.hosts ?? uniqued(settings.hosts.map { $0.expand(key, namespace: settings.namespace) })
        let invalidHosts = hosts.filter { !IstioHostSyntax.isValid($0) }
        guard invalidHosts.isEmpty, !hosts.isEmpty else {
            diagnostics.append(
                Diagnostic(
                    .error, service: key,
                    "host names \(invalidHosts) are not valid DNS names; check render.hosts; service not published"))
            return RenderResult(group: nil, diagnostics: diagnostics)
        }

        var inline = settings.mode == .inline
        if inline, routed.count > settings.inlineEndpointLimit {
            diagnostics.append(
                Diagnostic(
                    .warning, service: key,
                    "has \(routed.count) routed instances, more than the \(settings.inlineEndpointLimit) inline endpoints a ServiceEntry may hold; published with WorkloadEntries instead"
                ))
            inline = false
        }

        let ownership = ownershipLabels(key: key, group: name)
        var spec: [String: JSONValue] = [
            "hosts": .array(hosts.map(JSONValue.string)),
            "location": .string(location.rawValue),
            "resolution": .string(resolution.rawValue),
        ]
        if !ports.isEmpty {
            spec["ports"] = .array(
                ports.map { port in
                    [
                        "number": .int(Int64(port.number)), "targetPort": .int(Int64(port.number)),
                        "protocol": .string(port.protocol), "name": .string(port.name),
                    ]
                })
        }
        if !settings.exportTo.isEmpty { spec["exportTo"] = .array(settings.exportTo.map(JSONValue.string)) }

        var objects: [ManifestObject] = []
        if inline {
            if !routed.isEmpty {
                spec["endpoints"] = .array(routed.map { workloadSpec($0, key: key, group: name, portNames: portNames) })
            }
        } else {
            if !service.instances.isEmpty || resolution == .static {
                spec["workloadSelector"] = ["labels": [OwnershipLabels.serviceKey: .string(name)]]
            }
            for workload in routed {
                let workloadName = ObjectNaming.workloadEntryName(
                    serviceEntryName: name, instanceID: workload.instance.id)
                objects.append(
                    object(
                        kind: "WorkloadEntry", name: workloadName, labels: ownership,
                        annotations: [OwnershipLabels.instanceIDAnnotation: workload.instance.id],
                        spec: workloadSpec(workload, key: key, group: name, portNames: portNames)))
            }
        }
        objects.append(
            object(
                kind: "ServiceEntry", name: name, labels: ownership,
                annotations: [OwnershipLabels.registryServiceAnnotation: key.description], spec: .object(spec)))
        return RenderResult(group: ObjectGroup(id: name, service: key, objects: objects), diagnostics: diagnostics)
    }

    /// The union of the instances' endpoint ports plus declared ports, one protocol per port number.
    private func servicePorts(service: Service, workloads: [Workload], diagnostics: inout [Diagnostic]) -> [PortSpec] {
        var declared: [Int: ServicePort] = [:]
        for port in service.mesh.ports { declared[port.number] = port }
        var seen: [Int: [String: Int]] = [:]
        for workload in workloads {
            for endpoint in workload.endpoints {
                seen[endpoint.port, default: [:]][
                    settings.protocols.istioProtocol(scheme: endpoint.scheme, tls: endpoint.tls), default: 0] += 1
            }
        }
        var result: [PortSpec] = []
        for number in Set(declared.keys).union(seen.keys).sorted() {
            if let port = declared[number] {
                result.append(
                    PortSpec(
                        number: number, protocol: port.protocol,
                        name: port.name ?? ProtocolMapping.portName(protocol: port.protocol, number: number)))
                continue
            }
            let counts = seen[number]!
            let chosen = counts.max { ($0.value, $1.key) < ($1.value, $0.key) }!.key
            if counts.count > 1 {
                diagnostics.append(
                    Diagnostic(
                        .warning, service: service.key,
                        "port \(number) is registered with several protocols (\(counts.keys.sorted().joined(separator: ", "))); published as \(chosen)"
                    ))
            }
            result.append(
                PortSpec(
                    number: number, protocol: chosen, name: ProtocolMapping.portName(protocol: chosen, number: number)))
        }
        return result
    }

    private func workloadSpec(_ workload: Workload, key: ServiceKey, group: String, portNames: [Int: String])
        -> JSONValue
    {
        var ports: [String: JSONValue] = [:]
        for endpoint in workload.endpoints {
            if let portName = portNames[endpoint.port] { ports[portName] = .int(Int64(endpoint.port)) }
        }
        var spec: [String: JSONValue] = [
            "address": .string(workload.address),
            "labels": .object(workloadLabels(workload.instance, key: key, group: group).mapValues(JSONValue.string)),
        ]
        if !ports.isEmpty { spec["ports"] = .object(ports) }
        let instance = workload.instance
        if !instance.region.isEmpty {
            spec["locality"] = .string(instance.zone.isEmpty ? instance.region : "\(instance.region)/\(instance.zone)")
        }
        return .object(spec)
    }

    /// The labels a workload carries: registry metadata (valid keys only, values made valid), then the
    /// original mapping's `name` and `serviceCenterInstanceId`, `version`, `app`, and the selector label.
    private func workloadLabels(_ instance: Instance, key: ServiceKey, group: String) -> [String: String] {
        var labels: [String: String] = [:]
        for (metadataKey, value) in instance.metadata where KubernetesNames.isLabelKey(metadataKey) {
            labels[metadataKey] = KubernetesNames.labelValue(value)
        }
        labels["app"] = KubernetesNames.labelValue(key.app)
        labels["serviceCenterInstanceId"] = KubernetesNames.labelValue(instance.id)
        if !instance.hostName.isEmpty { labels["name"] = KubernetesNames.labelValue(instance.hostName) }
        if !instance.version.isEmpty { labels["version"] = KubernetesNames.labelValue(instance.version) }
        labels[OwnershipLabels.serviceKey] = group
        return labels.filter { !$0.value.isEmpty }
    }

    private func ownershipLabels(key: ServiceKey, group: String) -> [String: String] {
        var labels = settings.extraLabels
        labels[OwnershipLabels.managedByKey] = OwnershipLabels.managedByValue
        labels[OwnershipLabels.sourceKey] = KubernetesNames.labelValue(key.source)
        labels[OwnershipLabels.serviceKey] = group
        return labels
    }

    private func object(
        kind: String, name: String, labels: [String: String], annotations: [String: String], spec: JSONValue
    )
        -> ManifestObject
    {
        let document: JSONValue = [
            "apiVersion": .string(settings.apiVersion),
            "kind": .string(kind),
            "metadata": [
                "name": .string(name),
                "namespace": .string(settings.namespace),
                "labels": .object(labels.mapValues(JSONValue.string)),
                "annotations": .object(annotations.mapValues(JSONValue.string)),
            ],
            "spec": spec,
        ]
        return ManifestObject(
            apiVersion: settings.apiVersion, kind: kind, namespace: settings.namespace, name: name, document: document)
    }

    private func isIPAddress(_ host: String) -> Bool {
        IPAddressSyntax.isIPv4(host) || IPAddressSyntax.isIPv6(host)
    }

    private func uniqued(_ values: [String]) -> [String] {
        var seen = Set<String>()
        return values.filter { seen.insert($0).inserted }
    }
}
