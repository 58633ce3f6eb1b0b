import BridgeKernel
import IstioMapping
import Testing

@Suite struct IstioRendererTests {
    let renderer = IstioRenderer()

    func render(_ service: Service, settings: IstioRenderSettings = IstioRenderSettings()) throws -> (
        ObjectGroup, [Diagnostic]
    ) {
        let result = IstioRenderer(settings: settings).render(service)
        return (try #require(result.group), result.diagnostics)
    }

    @Test func oneServiceEntryPerServiceWithOneWorkloadEntryPerUpInstance() throws {
        let service = Fixture.service(
            "Provider",
            instances: [
                Fixture.instance("i1", ["rest://10.0.0.5:8081?sslEnabled=false"], hostName: "provider-host"),
                Fixture.instance("i2", ["rest://10.0.0.6:8081"], status: .down),
            ])
        let (group, _) = try render(service)
        let entry = try #require(group.serviceEntry)
        #expect(entry.document["spec"]?["location"] == "MESH_INTERNAL")
        #expect(entry.document["spec"]?["resolution"] == "STATIC")
        #expect(
            entry.document["spec"]?["ports"] == [
                ["number": 8081, "targetPort": 8081, "protocol": "HTTP", "name": "http-8081"]
            ])
        #expect(entry.document["spec"]?["workloadSelector"] == ["labels": ["meshbridge.io/service": .string(group.id)]])
        #expect(entry.document["spec"]?["endpoints"] == nil)

        let workloads = group.workloadEntries
        #expect(workloads.count == 1)
        let spec = try #require(workloads.first?.document["spec"])
        #expect(spec["address"] == "10.0.0.5")
        #expect(spec["ports"] == ["http-8081": 8081])
        #expect(spec["labels"]?["name"] == "provider-host")
        #expect(spec["labels"]?["serviceCenterInstanceId"] == "i1")
        #expect(spec["labels"]?["version"] == "1.0.0")
        #expect(spec["labels"]?["app"] == "shop")
        #expect(spec["labels"]?["meshbridge.io/service"] == .string(group.id))
    }

    @Test(arguments: [
        ("rest://10.0.0.1:1111", "HTTP", "http-1111"),
        ("rest://10.0.0.1:2222?sslEnabled=true", "HTTPS", "https-2222"),
        ("grpc://10.0.0.1:3333", "GRPC", "grpc-3333"),
        ("http2://10.0.0.1:4444", "HTTP2", "http2-4444"),
        ("tcp://10.0.0.1:5555", "TCP", "tcp-5555"),
        ("tls://10.0.0.1:6666", "TLS", "tls-6666"),
        ("highway://10.0.0.1:7070", "TCP", "tcp-7070"),
        ("foo://10.0.0.1:8888", "TCP", "tcp-8888"),
        ("highway://10.0.0.1:7443?sslEnabled=true", "TLS", "tls-7443"),
    ])
    func schemesMapToProtocolsAndPortNames(endpoint: String, proto: String, portName: String) throws {
        let (group, _) = try render(Fixture.service("s", instances: [Fixture.instance("i", [endpoint])]))
        let port = try #require(group.serviceEntry?.document["spec"]?["ports"]?.arrayValue?.first)
        #expect(port["protocol"] == .string(proto))
        #expect(port["name"] == .string(portName))
    }

    @Test func protocolMappingIsConfigurable() throws {
        var settings = IstioRenderSettings()
        settings.protocols = ProtocolMapping(overrides: ["foo": "HTTP2"], defaultProtocol: "HTTP")
        let (group, _) = try render(
            Fixture.service("s", instances: [Fixture.instance("i", ["foo://10.0.0.1:1", "bar://10.0.0.1:2"])]),
            settings: settings)
        let protocols = group.serviceEntry?.document["spec"]?["ports"]?.arrayValue?.map { $0["protocol"] }
        #expect(protocols == ["HTTP2", "HTTP"])
    }

    @Test func portsAreTheUnionOverAllInstancesSortedByNumber() throws {
        let (group, _) = try render(
            Fixture.service(
                "s",
                instances: [
                    Fixture.instance("a", ["rest://10.0.0.1:8080", "highway://10.0.0.1:7070"]),
                    Fixture.instance("b", ["grpc://10.0.0.2:9090"], status: .down),
                ]))
        let numbers = group.serviceEntry?.document["spec"]?["ports"]?.arrayValue?.compactMap { $0["number"]?.intValue }
        #expect(numbers == [7070, 8080, 9090])
        #expect(group.workloadEntries.first?.document["spec"]?["ports"] == ["tcp-7070": 7070, "http-8080": 8080])
    }

    @Test func samePortWithTwoProtocolsPicksTheCommonOneAndWarns() throws {
        let (group, diagnostics) = try render(
            Fixture.service(
                "s",
                instances: [
                    Fixture.instance("a", ["rest://10.0.0.1:8080"]), Fixture.instance("b", ["rest://10.0.0.2:8080"]),
                    Fixture.instance("c", ["rest://10.0.0.3:8080?sslEnabled=true"]),
                ]))
        #expect(group.serviceEntry?.document["spec"]?["ports"]?.arrayValue?.count == 1)
        #expect(group.serviceEntry?.document["spec"]?["ports"]?.arrayValue?.first?["protocol"] == "HTTP")
        #expect(diagnostics.contains { $0.message.contains("several protocols") })
    }

    @Test func routedStatusesAreConfigurable() throws {
        var settings = IstioRenderSettings()
        settings.routeStatuses = [.up, .testing]
        let (group, _) = try render(
            Fixture.service(
                "s",
                instances: [
                    Fixture.instance("a", ["rest://10.0.0.1:80"]),
                    Fixture.instance("b", ["rest://10.0.0.2:80"], status: .testing),
                    Fixture.instance("c", ["rest://10.0.0.3:80"], status: .outOfService),
                    Fixture.instance("d", ["rest://10.0.0.4:80"], status: .starting),
                ]), settings: settings)
        #expect(group.workloadEntries.map { $0.document["spec"]?["address"] } == ["10.0.0.1", "10.0.0.2"])
    }

    @Test func inlineModePutsRoutedInstancesIntoEndpoints() throws {
        var settings = IstioRenderSettings()
        settings.mode = .inline
        let (group, _) = try render(
            Fixture.service(
                "s",
                instances: [
                    Fixture.instance("a", ["rest://10.0.0.1:80"], region: "r1", zone: "z1"),
                    Fixture.instance("b", ["rest://10.0.0.2:80"], status: .down),
                ]), settings: settings)
        #expect(group.objects.count == 1)
        let endpoints = try #require(group.serviceEntry?.document["spec"]?["endpoints"]?.arrayValue)
        #expect(endpoints.count == 1)
        #expect(endpoints.first?["address"] == "10.0.0.1")
        #expect(endpoints.first?["locality"] == "r1/z1")
        #expect(group.serviceEntry?.document["spec"]?["workloadSelector"] == nil)
    }

    @Test func inlineModeWithNoRoutedInstancesOmitsEndpoints() throws {
        var settings = IstioRenderSettings()
        settings.mode = .inline
        let (group, _) = try render(
            Fixture.service("s", instances: [Fixture.instance("b", ["rest://10.0.0.2:80"], status: .down)]),
            settings: settings)
        #expect(group.serviceEntry?.document["spec"]?["endpoints"] == nil)
    }

    @Test func inlineModeFallsBackToWorkloadEntriesAboveTheLimit() throws {
        var settings = IstioRenderSettings()
        settings.mode = .inline
        settings.inlineEndpointLimit = 2
        let instances = (1...3).map { Fixture.instance("i\($0)", ["rest://10.0.0.\($0):80"]) }
        let (group, diagnostics) = try render(Fixture.service("s", instances: instances), settings: settings)
        #expect(group.workloadEntries.count == 3)
        #expect(group.serviceEntry?.document["spec"]?["endpoints"] == nil)
        #expect(diagnostics.contains { $0.severity == .warning && $0.message.contains("WorkloadEntries instead") })
    }

    @Test func hostNameEndpointsSwitchResolutionToDNS() throws {
        let (group, _) = try render(
            Fixture.service("s", instances: [Fixture.instance("a", ["rest://orders.internal:80"])]))
        #expect(group.serviceEntry?.document["spec"]?["resolution"] == "DNS")
        #expect(group.workloadEntries.first?.document["spec"]?["address"] == "orders.internal")
    }

    @Test func ipv6EndpointsKeepStaticResolution() throws {
        let (group, _) = try render(
            Fixture.service("s", instances: [Fixture.instance("a", ["rest://[2001:db8::5]:80"])]))
        #expect(group.serviceEntry?.document["spec"]?["resolution"] == "STATIC")
        #expect(group.workloadEntries.first?.document["spec"]?["address"] == "2001:db8::5")
    }

    @Test func instanceWithoutEndpointsIsReportedAndSkipped() throws {
        let (group, diagnostics) = try render(
            Fixture.service(
                "s", instances: [Fixture.instance("empty", []), Fixture.instance("ok", ["rest://10.0.0.1:80"])]))
        #expect(group.workloadEntries.count == 1)
        #expect(diagnostics.first?.instanceID == "empty")
    }

    @Test func externalServiceWithDeclaredHostsAndPorts() throws {
        let mysql = Fixture.service(
            "mysql", app: "external",
            mesh: MeshOverrides(
                location: .meshExternal, resolution: .dns, hosts: ["mysql.example.com"],
                ports: [ServicePort(number: 3306, protocol: "TCP")]))
        let (group, _) = try render(mysql)
        let spec = try #require(group.serviceEntry?.document["spec"])
        #expect(
            spec == [
                "hosts": ["mysql.example.com"], "location": "MESH_EXTERNAL", "resolution": "DNS",
                "ports": [["number": 3306, "targetPort": 3306, "protocol": "TCP", "name": "tcp-3306"]],
            ])
    }

    @Test func hostTemplateDropsEmptyEnvironment() throws {
        let (group, _) = try render(Fixture.service("Orders_V2", app: "Shop"))
        #expect(group.serviceEntry?.document["spec"]?["hosts"] == ["orders-v2.shop.svc"])
        let (production, _) = try render(Fixture.service("orders", environment: "production"))
        #expect(production.serviceEntry?.document["spec"]?["hosts"] == ["orders.shop.production.svc"])
    }

    @Test func unknownHostPlaceholderIsRejected() {
        guard case .failure(let error) = HostTemplate.parse("{service}.{team}.svc") else {
            Issue.record("expected failure")
            return
        }
        #expect(error.reason.contains("{team}"))
    }

    @Test func namespaceExportToAndOwnershipLabelsAreApplied() throws {
        var settings = IstioRenderSettings()
        settings.namespace = "mesh-registry"
        settings.exportTo = ["."]
        settings.extraLabels = ["team": "platform"]
        let (group, _) = try render(
            Fixture.service("s", instances: [Fixture.instance("a", ["rest://10.0.0.1:80"])]), settings: settings)
        for object in group.objects {
            #expect(object.namespace == "mesh-registry")
            #expect(object.labels["app.kubernetes.io/managed-by"] == "meshbridge")
            #expect(object.labels["meshbridge.io/source"] == "sc")
            #expect(object.labels["team"] == "platform")
        }
        #expect(group.serviceEntry?.document["spec"]?["exportTo"] == ["."])
    }

    @Test func emptyExportToIsOmitted() throws {
        let (group, _) = try render(Fixture.service("s"))
        #expect(group.serviceEntry?.document["spec"]?["exportTo"] == nil)
    }

    @Test func registryMetadataBecomesValidLabelsAndInvalidKeysAreLeftOut() throws {
        let (group, _) = try render(
            Fixture.service(
                "s",
                instances: [
                    Fixture.instance(
                        "a", ["rest://10.0.0.1:80"], metadata: ["_TAGS": "A,B", "nodeIP": "one", "zone": "eu west"])
                ]))
        let labels = group.workloadEntries.first?.document["spec"]?["labels"]
        #expect(labels?["_TAGS"] == nil)
        #expect(labels?["nodeIP"] == "one")
        #expect(labels?["zone"] == "eu-west")
    }

    @Test func metadataCannotOverrideTheSelectorLabel() throws {
        let (group, _) = try render(
            Fixture.service(
                "s",
                instances: [Fixture.instance("a", ["rest://10.0.0.1:80"], metadata: ["meshbridge.io/service": "evil"])])
        )
        #expect(group.workloadEntries.first?.document["spec"]?["labels"]?["meshbridge.io/service"] == .string(group.id))
    }

    @Test func renderingIsDeterministicRegardlessOfInstanceOrder() throws {
        let instances = (1...5).map {
            Fixture.instance("i\($0)", ["rest://10.0.0.\($0):80", "grpc://10.0.0.\($0):90"])
        }
        let (first, _) = try render(Fixture.service("s", instances: instances))
        let (second, _) = try render(Fixture.service("s", instances: instances.reversed()))
        #expect(first == second)
    }

    @Test func endpointsOnASecondAddressAreReported() throws {
        let (group, diagnostics) = try render(
            Fixture.service("s", instances: [Fixture.instance("a", ["rest://10.0.0.1:80", "rest://[::1]:81"])]))
        #expect(group.workloadEntries.first?.document["spec"]?["ports"] == ["http-80": 80])
        #expect(diagnostics.contains { $0.instanceID == "a" && $0.message.contains("another address") })
    }

    // MARK: Rendering again after a change

    /// A service of three instances, and the same service after each kind of change a registry makes.
    static let before = Fixture.service(
        "Provider",
        instances: [
            Fixture.instance("i1", ["rest://10.0.0.1:8080"], metadata: ["tier": "a"]),
            Fixture.instance("i2", ["rest://10.0.0.2:8080"]),
            Fixture.instance("i3", ["rest://10.0.0.3:8080"]),
        ])

    static let changes: [(String, Service)] = {
        func changed(_ body: (inout Service) -> Void) -> Service {
            var service = before
            body(&service)
            return service
        }
        return [
            ("instance metadata", changed { $0.instances[0].metadata["tier"] = "b" }),
            ("instance goes down", changed { $0.instances[1].status = .down }),
            ("instance added", changed { $0.instances.append(Fixture.instance("i4", ["rest://10.0.0.4:8080"])) }),
            ("instance removed", changed { $0.instances.removeLast() }),
            (
                "new port on one instance",
                changed { $0.instances[2].endpoints.append(try! Endpoint.parse("grpc://10.0.0.3:9090")) }
            ),
            (
                "protocol of the shared port",
                changed { service in
                    for index in service.instances.indices {
                        service.instances[index].endpoints = [try! Endpoint.parse("grpc://10.0.0.\(index + 1):8080")]
                    }
                }
            ),
            ("service metadata", changed { $0.metadata["owner"] = "team" }),
            (
                "declared port renames the shared port",
                changed { $0.mesh.ports = [ServicePort(number: 8080, protocol: "GRPC")] }
            ),
            ("declared hosts", changed { $0.mesh.hosts = ["provider.example.com"] }),
            ("nothing", before),
        ]
    }()

    @Test(arguments: changes.map(\.0))
    func renderingAfterAChangeEqualsRenderingFromScratch(change: String) throws {
        let after = try #require(Self.changes.first { $0.0 == change }?.1)
        let previous = PreviousRender(
            instances: Self.before.instances, group: try #require(renderer.render(Self.before).group))
        #expect(renderer.render(after, after: previous) == renderer.render(after))
    }

    @Test func unchangedInstancesKeepTheirPreviousWorkloadEntriesAndChangedOnesAreRenderedAgain() throws {
        // Mark every previous WorkloadEntry, so a reused entry shows in the result.
        var group = try #require(renderer.render(Self.before).group)
        for index in group.objects.indices where group.objects[index].kind == "WorkloadEntry" {
            group.objects[index].document["metadata"]?["annotations"]?["reused"] = "yes"
        }
        var after = Self.before
        after.instances[0].metadata["tier"] = "b"
        let result = try #require(
            renderer.render(after, after: PreviousRender(instances: Self.before.instances, group: group)).group)
        let reused = result.workloadEntries.map { $0.document["metadata"]?["annotations"]?["reused"] == "yes" }
        #expect(reused == [false, true, true])
        #expect(result.workloadEntries[0].document["spec"]?["labels"]?["tier"] == "b")

        // A changed port list changes every entry's `ports`: nothing is reused.
        after.instances[2].endpoints.append(try Endpoint.parse("grpc://10.0.0.3:9090"))
        let regrouped = try #require(
            renderer.render(after, after: PreviousRender(instances: Self.before.instances, group: group)).group)
        #expect(regrouped.workloadEntries.allSatisfy { $0.document["metadata"]?["annotations"]?["reused"] == nil })
    }
}
