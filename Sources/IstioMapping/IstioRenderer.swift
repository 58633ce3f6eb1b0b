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
    /// ServiceEntry port lists, shared between services with the same ports (most of them, in practice).
    private let sharedPortLists = SharedValueTable<[PortSpec]>(capacity: 4096)
    /// WorkloadEntry port maps, shared the same way.
    private let sharedPortMaps = SharedValueTable<[String: JSONValue]>(capacity: 4096)

    /// Creates a renderer.
    public init(settings: IstioRenderSettings = IstioRenderSettings()) {
        self.settings = settings
    }

    /// A ServiceEntry port.
    struct PortSpec: Hashable, Sendable {
        var number: Int
        var `protocol`: String
        var name: String
    }

    /// A port number with one protocol registered on it.
    struct PortProtocol: Hashable {
        var port: Int
        var `protocol`: String
    }

    /// An instance reduced to what the mesh needs: one address and its ports.
    struct Workload {
        var instance: Instance
        var address: String
        var endpoints: [Endpoint]
    }

    public func render(_ service: Service) -> RenderResult {
        render(service, reusing: nil)
    }

    /// Renders the service, taking the WorkloadEntries of unchanged instances from the previous render.
    public func render(_ service: Service, after previous: PreviousRender) -> RenderResult {
        guard previous.group.service == service.key else { return render(service, reusing: nil) }
        return render(service, reusing: WorkloadEntryReuse(previous))
    }

    private func render(_ service: Service, reusing previous: WorkloadEntryReuse?) -> RenderResult {
        var diagnostics: [Diagnostic] = []
        let key = service.key
        let name = ObjectNaming.serviceEntryName(for: key)

        // Registries usually list instances in id order already; the (stable) sort is then a no-op worth skipping.
        let inIDOrder = zip(service.instances, service.instances.dropFirst()).allSatisfy { !($1.id < $0.id) }
        let instances = inIDOrder ? service.instances : service.instances.sorted { $0.id < $1.id }
        var workloads: [Workload] = []
        workloads.reserveCapacity(instances.count)
        for instance in instances {
            guard let first = instance.endpoints.first else {
                diagnostics.append(
                    Diagnostic(
                        .warning, service: key, instanceID: instance.id, "has no usable endpoints; not published"))
                continue
            }
            // Almost every instance has one address; only then is a filtered copy of its endpoints needed.
            if instance.endpoints.allSatisfy({ $0.host == first.host }) {
                workloads.append(Workload(instance: instance, address: first.host, endpoints: instance.endpoints))
                continue
            }
            let sameHost = instance.endpoints.filter { $0.host == first.host }
            for other in instance.endpoints where other.host != first.host {
                diagnostics.append(
                    Diagnostic(
                        .warning, service: key, instanceID: instance.id,
                        "endpoint \(other) is on another address than \(first.host); only \(first.host) is published"))
            }
            workloads.append(Workload(instance: instance, address: first.host, endpoints: sameHost))
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

        // Every object of the service carries the same labels: one dictionary, shared copy-on-write.
        let ownership = JSONValue.object(ownershipLabels(key: key, group: name))
        var spec: [String: JSONValue] = [
            "hosts": .array(hosts.map(JSONValue.string)),
            "location": .string(location.rawValue),
            "resolution": .string(resolution.rawValue),
        ]
        if !ports.isEmpty {
            spec["ports"] = sharedPortLists.value(for: ports) {
                .array(
                    ports.map { port in
                        [
                            "number": .int(Int64(port.number)), "targetPort": .int(Int64(port.number)),
                            "protocol": .string(port.protocol), "name": .string(port.name),
                        ]
                    })
            }
        }
        if !settings.exportTo.isEmpty { spec["exportTo"] = .array(settings.exportTo.map(JSONValue.string)) }

        var context = WorkloadContext(group: name, appLabel: KubernetesNames.labelValue(key.app), portNames: portNames)
        if inline {
            if !routed.isEmpty {
                var endpoints: [JSONValue] = []
                endpoints.reserveCapacity(routed.count)
                for workload in routed { endpoints.append(workloadSpec(workload, context: &context)) }
                spec["endpoints"] = .array(endpoints)
            }
        } else if !service.instances.isEmpty || resolution == .static {
            spec["workloadSelector"] = ["labels": [OwnershipLabels.serviceKey: .string(name)]]
        }
        // The ServiceEntry first, then WorkloadEntries in instance order: usually the sorted order already, so
        // `ObjectGroup` finds one sorted run.
        var objects: [ManifestObject] = []
        objects.reserveCapacity(inline ? 1 : routed.count + 1)
        objects.append(
            object(
                kind: "ServiceEntry", name: name, labels: ownership,
                annotations: [OwnershipLabels.registryServiceAnnotation: .string(key.description)],
                spec: .object(spec)))
        if !inline {
            let reuse = previous.flatMap { $0.portsMatch(spec["ports"]) ? $0 : nil }
            for workload in routed {
                let workloadName = ObjectNaming.workloadEntryName(
                    serviceEntryName: name, instanceID: workload.instance.id)
                if let reused = reuse?.entry(named: workloadName, for: workload.instance) {
                    objects.append(reused)
                    continue
                }
                objects.append(
                    object(
                        kind: "WorkloadEntry", name: workloadName, labels: ownership,
                        annotations: [OwnershipLabels.instanceIDAnnotation: .string(workload.instance.id)],
                        spec: workloadSpec(workload, context: &context)))
            }
        }
        return RenderResult(group: ObjectGroup(id: name, service: key, objects: objects), diagnostics: diagnostics)
    }

    /// The union of the instances' endpoint ports plus declared ports, one protocol per port number.
    private func servicePorts(service: Service, workloads: [Workload], diagnostics: inout [Diagnostic]) -> [PortSpec] {
        var declared: [Int: ServicePort] = [:]
        for port in service.mesh.ports { declared[port.number] = port }
        // A service's instances repeat the same few schemes and ports: remember the protocol per (scheme, TLS)
        // in a tiny list and count (port, protocol) pairs in one flat dictionary, then group by port.
        var protocolCache: [(scheme: String, tls: Bool, protocol: String)] = []
        var pairCounts: [PortProtocol: Int] = [:]
        for workload in workloads {
            for endpoint in workload.endpoints {
                let proto: String
                if let cached = protocolCache.first(where: { $0.tls == endpoint.tls && $0.scheme == endpoint.scheme }) {
                    proto = cached.protocol
                } else {
                    proto = settings.protocols.istioProtocol(scheme: endpoint.scheme, tls: endpoint.tls)
                    if protocolCache.count < 8 { protocolCache.append((endpoint.scheme, endpoint.tls, proto)) }
                }
                pairCounts[PortProtocol(port: endpoint.port, protocol: proto), default: 0] += 1
            }
        }
        var seen: [Int: [String: Int]] = [:]
        for (pair, count) in pairCounts { seen[pair.port, default: [:]][pair.protocol] = count }
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

    /// What every workload of one service shares.
    struct WorkloadContext {
        /// The ServiceEntry name, also the selector label's value.
        var group: String
        /// The `app` label's value.
        var appLabel: String
        /// Port number → the ServiceEntry's port name.
        var portNames: [Int: String]
        /// The last workload's `ports`: instances nearly always share them, and reusing the value shares one
        /// dictionary among them instead of holding a copy per WorkloadEntry.
        var lastPorts: JSONValue?
    }

    private func workloadSpec(_ workload: Workload, context: inout WorkloadContext) -> JSONValue {
        var ports = [String: JSONValue](minimumCapacity: workload.endpoints.count)
        for endpoint in workload.endpoints {
            if let portName = context.portNames[endpoint.port] { ports[portName] = .int(Int64(endpoint.port)) }
        }
        var spec = [String: JSONValue](minimumCapacity: 4)
        spec["address"] = .string(workload.address)
        spec["labels"] = .object(workloadLabels(workload.instance, context: context))
        if !ports.isEmpty {
            if context.lastPorts?.objectValue != ports {
                context.lastPorts = sharedPortMaps.value(for: ports) { .object(ports) }
            }
            spec["ports"] = context.lastPorts
        }
        let instance = workload.instance
        if !instance.region.isEmpty {
            spec["locality"] = .string(instance.zone.isEmpty ? instance.region : "\(instance.region)/\(instance.zone)")
        }
        return .object(spec)
    }

    /// The labels a workload carries: registry metadata (valid keys only, values made valid), then the
    /// original mapping's `name` and `serviceCenterInstanceId`, `version`, `app`, and the selector label.
    ///
    /// Built straight into one JSON dictionary: labels that end up empty are left out, as Kubernetes would
    /// otherwise keep a label with an empty value.
    private func workloadLabels(_ instance: Instance, context: WorkloadContext) -> [String: JSONValue] {
        var labels = [String: JSONValue](minimumCapacity: instance.metadata.count + 5)
        var hasEmptyValue = false
        func set(_ labelKey: String, _ value: String) {
            labels[labelKey] = .string(value)
            hasEmptyValue = hasEmptyValue || value.isEmpty
        }
        for (metadataKey, value) in instance.metadata where KubernetesNames.isLabelKey(metadataKey) {
            set(metadataKey, KubernetesNames.labelValue(value))
        }
        set("app", context.appLabel)
        set("serviceCenterInstanceId", KubernetesNames.labelValue(instance.id))
        if !instance.hostName.isEmpty { set("name", KubernetesNames.labelValue(instance.hostName)) }
        if !instance.version.isEmpty { set("version", KubernetesNames.labelValue(instance.version)) }
        set(OwnershipLabels.serviceKey, context.group)
        guard hasEmptyValue else { return labels }
        return labels.filter { $0.value != .string("") }
    }

    private func ownershipLabels(key: ServiceKey, group: String) -> [String: JSONValue] {
        var labels = [String: JSONValue](minimumCapacity: settings.extraLabels.count + 3)
        for (labelKey, value) in settings.extraLabels { labels[labelKey] = .string(value) }
        labels[OwnershipLabels.managedByKey] = .string(OwnershipLabels.managedByValue)
        labels[OwnershipLabels.sourceKey] = .string(KubernetesNames.labelValue(key.source))
        labels[OwnershipLabels.serviceKey] = .string(group)
        return labels
    }

    private func object(
        kind: String, name: String, labels: JSONValue, annotations: [String: JSONValue], spec: JSONValue
    )
        -> ManifestObject
    {
        // Filled member by member: a dictionary literal of `JSONValue` first builds an array of pairs.
        var metadata = [String: JSONValue](minimumCapacity: 4)
        metadata["name"] = .string(name)
        metadata["namespace"] = .string(settings.namespace)
        metadata["labels"] = labels
        metadata["annotations"] = .object(annotations)
        var document = [String: JSONValue](minimumCapacity: 4)
        document["apiVersion"] = .string(settings.apiVersion)
        document["kind"] = .string(kind)
        document["metadata"] = .object(metadata)
        document["spec"] = spec
        return ManifestObject(
            apiVersion: settings.apiVersion, kind: kind, namespace: settings.namespace, name: name,
            document: .object(document))
    }

    private func isIPAddress(_ host: String) -> Bool {
        IPAddressSyntax.isIPv4(host) || IPAddressSyntax.isIPv6(host)
    }

    private func uniqued(_ values: [String]) -> [String] {
        var seen = Set<String>()
        return values.filter { seen.insert($0).inserted }
    }
}
