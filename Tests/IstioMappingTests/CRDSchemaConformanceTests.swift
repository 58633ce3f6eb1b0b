import BridgeKernel
import IstioMapping
import IstioSchemaValidation
import Testing

/// Every object the mapping renders must pass the real Istio CRD schemas (OpenAPI + CEL), with no field the
/// apiserver would prune.
@Suite(
    .enabled(
        if: CRDSchemas.loaded != nil,
        "SKIPPED: Istio CRDs not found; set ISTIO_CRDS_DIR or check out next to shared/istio-crds"))
struct CRDSchemaConformanceTests {
    static let services: [Service] = {
        var services = [
            Fixture.service(
                "Provider", environment: "production",
                instances: [
                    Fixture.instance(
                        "b4c9e57f211311e8a831286ed488fc1b",
                        ["rest://10.0.0.5:8081?sslEnabled=false", "highway://10.0.0.5:7070"],
                        hostName: "demo-pc", metadata: ["_TAGS": "A,B", "nodeIP": "one"], region: "r1", zone: "az1"),
                    Fixture.instance("i2", ["rest://10.0.0.6:8081?sslEnabled=true"], status: .down),
                ]),
            Fixture.service(
                "Payment_Service", app: "Shop_App", instances: [Fixture.instance("p", ["grpc://[2001:db8::5]:9090"])]),
            Fixture.service("dns-backed", instances: [Fixture.instance("d", ["rest://backend.example.com:80"])]),
            Fixture.service("no-instances"),
            Fixture.service("all-down", instances: [Fixture.instance("x", ["tcp://10.1.1.1:5432"], status: .down)]),
            Fixture.service(
                "mysql", app: "external",
                mesh: MeshOverrides(
                    location: .meshExternal, resolution: .dns, hosts: ["mysql.example.com"],
                    ports: [ServicePort(number: 3306, protocol: "TCP")])),
            Fixture.service(String(repeating: "very-long-name", count: 10), domain: "tenant/project"),
            Fixture.service(
                "many-ports",
                instances: (1...40).map { index in
                    Fixture.instance(
                        "w\(index)",
                        ["rest://10.2.0.\(index):\(8000 + index)", "grpc://10.2.0.\(index):\(9000 + index)"])
                }),
        ]
        services.append(
            Fixture.service(
                "eureka-style",
                instances: [
                    Fixture.instance(
                        "10.0.0.1:eureka-style:8080", ["http://10.0.0.1:8080"], hostName: "ip-10-0-0-1.ec2.internal")
                ]))
        return services
    }()

    @Test(arguments: IstioRenderSettings.Mode.allCases)
    func everyRenderedObjectPassesTheCRDSchemas(mode: IstioRenderSettings.Mode) throws {
        let schemas = try #require(CRDSchemas.loaded)
        var settings = IstioRenderSettings()
        settings.mode = mode
        settings.exportTo = ["*"]
        let renderer = IstioRenderer(settings: settings)
        var checked = 0
        for service in Self.services {
            guard let group = renderer.render(service).group else {
                Issue.record("\(service.key) rendered nothing")
                continue
            }
            for object in group.objects {
                let result = try schemas.validate(object.document)
                #expect(result.isValid, "\(object): \(result.message ?? "")")
                #expect(result.unknownFields.isEmpty, "\(object): pruned fields \(result.unknownFields)")
                checked += 1
            }
        }
        #expect(checked >= Self.services.count)
    }

    @Test func inlineFallbackAboveTheEndpointLimitStillPassesTheSchemas() throws {
        let schemas = try #require(CRDSchemas.loaded)
        var settings = IstioRenderSettings()
        settings.mode = .inline
        let instances = (0..<4100).map {
            Fixture.instance("i\($0)", ["rest://10.\($0 / 65536).\($0 / 256 % 256).\($0 % 256):80"])
        }
        let group = try #require(
            IstioRenderer(settings: settings).render(Fixture.service("huge", instances: instances)).group)
        #expect(group.objects.count == 4101)
        let entry = try #require(group.serviceEntry)
        #expect(try schemas.validate(entry.document).isValid)
        #expect(try schemas.validate(group.workloadEntries[0].document).isValid)
    }

    @Test func theValidatorRejectsWhatTheCRDForbids() throws {
        // Guards the conformance test itself: an object with both endpoints and a selector must fail.
        let schemas = try #require(CRDSchemas.loaded)
        var settings = IstioRenderSettings()
        settings.mode = .inline
        let group = try #require(
            IstioRenderer(settings: settings).render(
                Fixture.service("s", instances: [Fixture.instance("a", ["rest://10.0.0.1:80"])])
            ).group)
        var document = try #require(group.serviceEntry).document
        document["spec"]?["workloadSelector"] = ["labels": ["a": "b"]]
        let result = try schemas.validate(document)
        #expect(!result.isValid)
        #expect(result.message?.contains("only one of WorkloadSelector or Endpoints can be set") == true)
    }
}

/// The CRD schemas, loaded once from `ISTIO_CRDS_DIR` or `shared/istio-crds` beside the checkout.
enum CRDSchemas {
    static let loaded: IstioSchemas? = try? IstioSchemas.load()
}
