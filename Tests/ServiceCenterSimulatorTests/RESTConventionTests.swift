import BridgeKernel
import HTTPTypes
import ServiceCenterSimulator
import Testing

/// §8 checklist: base path, headers, empty lists, error and success shapes, Go's 404/405 texts.
@Suite struct RESTConventionTests {
    private let registry = SimulatorHarness.registry

    @Test func emptyServiceListIsAnsweredWithEmptyObject() async throws {
        try await SimulatorHarness.with { (sim) async throws in
            let answer = try await sim.get("\(registry)/microservices")
            #expect(answer.status == 200)
            #expect(answer.body == "{}")
            #expect(answer.header("Content-Type") == "application/json; charset=UTF-8")
        }
    }

    @Test func serviceListHidesServiceCenterUnlessWithShared() async throws {
        try await SimulatorHarness.with { (sim) async throws in
            let shared = try await sim.get("\(registry)/microservices?withShared=true")
            let names = shared.json["services"]?.arrayValue?.compactMap { $0["serviceName"]?.stringValue } ?? []
            #expect(names == ["SERVICECENTER"])
            let service = shared.json["services"]?.arrayValue?.first
            #expect(service?["alias"]?.stringValue == "SERVICECENTER")
            #expect(service?["environment"]?.stringValue == "production")
            #expect(service?["properties"]?["allowCrossApp"]?.stringValue == "true")
            #expect(try await sim.get("\(registry)/microservices").body == "{}")
        }
    }

    @Test func globalNoCacheAndCacheOnlyFlagsAreAcceptedAndIgnored() async throws {
        try await SimulatorHarness.with { (sim) async throws in
            let id = try await sim.createService(appId: "shop", name: "cart")
            for flags in ["global=true", "noCache=1", "cacheOnly=true", "global=true&noCache=true"] {
                let answer = try await sim.get("\(registry)/microservices/\(id)?\(flags)")
                #expect(answer.status == 200, "flags \(flags)")
                #expect(answer.json["service"]?["serviceId"]?.stringValue == id)
            }
        }
    }

    @Test func domainHeaderSelectsTenantAndDefaultsToDefault() async throws {
        try await SimulatorHarness.with { (sim) async throws in
            var acme = HTTPFields()
            acme[HTTPField.Name("X-Domain-Name")!] = "acme"
            let created = try await sim.post(
                "\(registry)/microservices",
                #"{"service":{"appId":"shop","serviceName":"cart"}}"#,
                headers: acme
            )
            let id = try #require(created.json["serviceId"]?.stringValue)
            #expect(try await sim.get("\(registry)/microservices/\(id)", headers: acme).status == 200)
            let fromDefault = try await sim.get("\(registry)/microservices/\(id)")
            #expect(fromDefault.json["errorCode"]?.stringValue == "400012")
            // Another project of the same domain is another tenant too.
            let otherProject = try await sim.get("/v4/other/registry/microservices/\(id)", headers: acme)
            #expect(otherProject.status == 400)
        }
    }

    @Test func errorBodyCarriesCodeAsStringAndStatusIsCodeDividedBy1000() async throws {
        try await SimulatorHarness.with { (sim) async throws in
            let answer = try await sim.get("\(registry)/microservices/0123456789abcdef0123456789abcdef")
            #expect(answer.status == 400)
            #expect(answer.header("Content-Type") == "application/json; charset=UTF-8")
            #expect(
                answer.body
                    == #"{"errorCode":"400012","errorMessage":"Micro-service does not exist","detail":"Service does not exist."}"#
            )
        }
    }

    @Test func payloadlessSuccessIsEmptyPlainText200() async throws {
        try await SimulatorHarness.with { (sim) async throws in
            let service = try await sim.createService(appId: "shop", name: "cart")
            let instance = try await sim.createInstance(
                serviceId: service, hostName: "h", endpoints: ["rest://1.1.1.1:80"])
            let base = "\(registry)/microservices/\(service)/instances/\(instance)"
            for answer in [
                try await sim.put("\(base)/heartbeat"),
                try await sim.put("\(base)/status?value=DOWN"),
                try await sim.put("\(base)/properties", #"{"properties":{"a":"b"}}"#),
                try await sim.delete(base),
                try await sim.delete("\(registry)/microservices/\(service)?force=1"),
            ] {
                #expect(answer.status == 200)
                #expect(answer.body.isEmpty)
                #expect(answer.header("Content-Type") == "text/plain; charset=UTF-8")
            }
        }
    }

    @Test func unknownRouteIsGoNotFoundText() async throws {
        try await SimulatorHarness.with { (sim) async throws in
            for path in ["/nope", "/v4/default/registry/microservices/", "/v4/default/registry/unknown"] {
                let answer = try await sim.get(path)
                #expect(answer.status == 404, "path \(path)")
                #expect(answer.body == "404 page not found\n")
                #expect(answer.header("Content-Type") == "text/plain; charset=utf-8")
            }
        }
    }

    @Test func wrongMethodIs405WithAllowHeader() async throws {
        try await SimulatorHarness.with { (sim) async throws in
            let answer = try await sim.request(.patch, "\(registry)/microservices")
            #expect(answer.status == 405)
            #expect(answer.body == "Method Not Allowed\n")
            #expect(Set((answer.header("Allow") ?? "").components(separatedBy: ", ")) == ["GET", "POST"])
            let action = try await sim.get("\(registry)/instances/action")
            #expect(action.status == 405)
            #expect(action.header("Allow") == "POST")
        }
    }

    @Test func tokenRouteDoesNotExistWithoutRBAC() async throws {
        try await SimulatorHarness.with { (sim) async throws in
            let answer = try await sim.post("/v4/token", #"{"name":"root","password":"x"}"#)
            #expect(answer.status == 404)
            #expect(answer.body == "404 page not found\n")
        }
    }

    @Test func versionDocumentHasGoFieldsAndAPIVersion() async throws {
        try await SimulatorHarness.with { (sim) async throws in
            let answer = try await sim.get("\(registry)/version")
            #expect(answer.status == 200)
            #expect(
                answer.body
                    == #"{"version":"2.2.0","buildTag":"servicecenter-simulator","goVersion":"go1.21.13","os":"linux","arch":"amd64","apiVersion":"4.0.0"}"#
            )
            #expect(try await sim.get("/version").body == answer.body)
        }
    }

    @Test func healthListsServiceCenterOwnInstance() async throws {
        try await SimulatorHarness.with { (sim) async throws in
            let answer = try await sim.get("\(registry)/health")
            let instances = try #require(answer.json["instances"]?.arrayValue)
            #expect(instances.count == 1)
            #expect(instances[0]["endpoints"]?.arrayValue == [.string("rest://127.0.0.1:\(sim.port)/")])
        }
    }

    @Test func validationErrorsUseGoValidatorWording() async throws {
        try await SimulatorHarness.with { (sim) async throws in
            let badName = try await sim.post(
                "\(registry)/microservices",
                #"{"service":{"appId":"shop","serviceName":"bad name"}}"#
            )
            #expect(badName.json["errorCode"]?.stringValue == "400001")
            #expect(
                badName.json["detail"]?.stringValue
                    == #"field 'MicroService.ServiceName' invalid value 'bad name' does not match rule: {Min: 1, Max: 128, Regexp: ^[a-zA-Z0-9]*$|^[a-zA-Z0-9][a-zA-Z0-9_\-.]*[a-zA-Z0-9]$}"#
            )
            let badVersion = try await sim.post(
                "\(registry)/microservices",
                #"{"service":{"serviceName":"cart","version":"1.x"}}"#
            )
            #expect(
                badVersion.json["detail"]?.stringValue
                    == "field 'MicroService.Version' invalid value '1.x' does not match rule: {Max: 64, Regexp: the form x[.y[.z]] where x y and z are 0-32767 range}"
            )
            let wrongType = try await sim.post("\(registry)/microservices", #"{"service":{"serviceName":7}}"#)
            #expect(
                wrongType.json["detail"]?.stringValue
                    == "json: cannot unmarshal number into Go struct field MicroService.service.serviceName of type string"
            )
            let empty = try await sim.post("\(registry)/microservices", "")
            #expect(empty.json["detail"]?.stringValue == "unexpected end of JSON input")
            let noService = try await sim.post("\(registry)/microservices", "{}")
            #expect(noService.json["detail"]?.stringValue == "Request body is empty")
        }
    }

    @Test func oversizeInstanceBodyIsRejectedAsTooLarge() async throws {
        try await SimulatorHarness.with { (sim) async throws in
            let service = try await sim.createService(appId: "shop", name: "cart")
            let padding = String(repeating: "x", count: 6 * 1024)
            let answer = try await sim.post(
                "\(registry)/microservices/\(service)/instances",
                #"{"instance":{"hostName":"h","properties":{"p":"\#(padding)"}}}"#
            )
            #expect(answer.status == 400)
            #expect(answer.json["detail"]?.stringValue == "http: request body too large")
        }
    }
}
