import BridgeKernel
import HTTPTypes
import ServiceCenterSimulator
import Testing

@Suite struct InstanceTests {
    private let registry = SimulatorHarness.registry

    @Test func instanceGetsStringTimestampsPushHealthCheckUpStatusAndServiceVersion() async throws {
        try await SimulatorHarness.with { (sim) async throws in
            let service = try await sim.createService(appId: "shop", name: "cart", version: "1.2.3")
            let id = try await sim.createInstance(serviceId: service, hostName: "h1", endpoints: ["rest://1.1.1.1:80"])
            #expect(ServiceRegistrationTests.isDashlessUUIDv4(id))
            let answer = try await sim.get("\(registry)/microservices/\(service)/instances/\(id)")
            let instance = try #require(answer.json["instance"])
            #expect(instance["status"]?.stringValue == "UP")
            #expect(instance["timestamp"]?.stringValue == "1704067200")
            #expect(instance["modTimestamp"]?.stringValue == "1704067200")
            #expect(instance["version"]?.stringValue == "1.2.3")
            #expect(instance["healthCheck"] == ["mode": "push", "interval": 30, "times": 3])
            // Field order follows the Go struct.
            #expect(answer.body.hasPrefix(#"{"instance":{"instanceId":"\#(id)","serviceId":"\#(service)","endpoints""#))
        }
    }

    @Test func pushHealthCheckIsRaisedToMinimumsAndPullIsForcedTo30By3() async throws {
        try await SimulatorHarness.with { (sim) async throws in
            let service = try await sim.createService(appId: "shop", name: "cart")
            let push = try await sim.createInstance(
                serviceId: service,
                hostName: "a",
                endpoints: [],
                extra: #","healthCheck":{"mode":"push","interval":1,"times":1}"#
            )
            let pull = try await sim.createInstance(
                serviceId: service,
                hostName: "b",
                endpoints: [],
                extra: #","healthCheck":{"mode":"pull","interval":7,"times":9}"#
            )
            let pushed = try await sim.get("\(registry)/microservices/\(service)/instances/\(push)").json
            #expect(pushed["instance"]?["healthCheck"] == ["mode": "push", "interval": 5, "times": 3])
            let pulled = try await sim.get("\(registry)/microservices/\(service)/instances/\(pull)").json
            #expect(pulled["instance"]?["healthCheck"] == ["mode": "pull", "interval": 30, "times": 3])
        }
    }

    @Test func instanceWithoutHostNameIsRejected() async throws {
        try await SimulatorHarness.with { (sim) async throws in
            let service = try await sim.createService(appId: "shop", name: "cart")
            let answer = try await sim.post(
                "\(registry)/microservices/\(service)/instances",
                #"{"instance":{"endpoints":["rest://1.1.1.1:80"]}}"#
            )
            #expect(answer.json["errorCode"]?.stringValue == "400001")
            #expect(
                answer.json["detail"]?.stringValue
                    == #"field 'MicroServiceInstance.HostName' invalid value '' does not match rule: {Min: 1, Max: 64, Regexp: \S+}"#
            )
            let unknownService = try await sim.post(
                "\(registry)/microservices/0123/instances",
                #"{"instance":{"hostName":"h"}}"#
            )
            #expect(unknownService.json["detail"]?.stringValue == "Invalid 'serviceID' in request body.")
        }
    }

    @Test func listInstancesCarriesRevisionAndAnswers304WhenRevIsCurrent() async throws {
        try await SimulatorHarness.with { (sim) async throws in
            let service = try await sim.createService(appId: "shop", name: "cart")
            let instance = try await sim.createInstance(
                serviceId: service, hostName: "h", endpoints: ["rest://1.1.1.1:80"])
            let path = "\(registry)/microservices/\(service)/instances"
            let first = try await sim.get(path)
            let revision = try #require(first.header("X-Resource-Revision"))
            #expect(revision.count == 40)
            let unchanged = try await sim.get("\(path)?rev=\(revision)")
            #expect(unchanged.status == 304)
            #expect(unchanged.body.isEmpty)
            #expect(unchanged.header("X-Resource-Revision") == revision)
            // noCache switches the rev comparison off, as in Service Center's context handler.
            #expect(try await sim.get("\(path)?rev=\(revision)&noCache=1").status == 200)
            // A heartbeat does not change the revision; a status change does.
            #expect(try await sim.put("\(path)/\(instance)/heartbeat").status == 200)
            #expect(try await sim.get("\(path)?rev=\(revision)").status == 304)
            #expect(try await sim.put("\(path)/\(instance)/status?value=DOWN").status == 200)
            let changed = try await sim.get("\(path)?rev=\(revision)")
            #expect(changed.status == 200)
            #expect(changed.header("X-Resource-Revision") != revision)
            #expect(changed.json["instances"]?[0]?["status"]?.stringValue == "DOWN")

            let single = try await sim.get("\(path)/\(instance)")
            let singleRevision = try #require(single.header("X-Resource-Revision"))
            #expect(try await sim.get("\(path)/\(instance)?rev=\(singleRevision)").status == 304)
        }
    }

    @Test func emptyInstanceListIsEmptyObject() async throws {
        try await SimulatorHarness.with { (sim) async throws in
            let service = try await sim.createService(appId: "shop", name: "cart")
            let answer = try await sim.get("\(registry)/microservices/\(service)/instances")
            #expect(answer.body == "{}")
            #expect(answer.header("X-Resource-Revision") != nil)
        }
    }

    @Test func reRegisteringExistingInstanceIdIsHeartbeatWithoutOverwriteOrEvent() async throws {
        try await SimulatorHarness.with { (sim) async throws in
            let service = try await sim.createService(appId: "shop", name: "cart")
            let id = try await sim.createInstance(serviceId: service, hostName: "h1", endpoints: ["rest://1.1.1.1:80"])
            let events = sim.simulator.publishedEvents.count
            let again = try await sim.post(
                "\(registry)/microservices/\(service)/instances",
                #"{"instance":{"instanceId":"\#(id)","hostName":"other","endpoints":["rest://9.9.9.9:1"]}}"#
            )
            #expect(again.json["instanceId"]?.stringValue == id)
            let stored = try await sim.get("\(registry)/microservices/\(service)/instances/\(id)").json["instance"]
            #expect(stored?["hostName"]?.stringValue == "h1")
            #expect(sim.simulator.publishedEvents.count == events)
            // Without an id, every registration is a new instance.
            let other = try await sim.createInstance(
                serviceId: service, hostName: "h1", endpoints: ["rest://1.1.1.1:80"])
            #expect(other != id)
        }
    }

    @Test func statusAcceptsOnlyKnownValues() async throws {
        try await SimulatorHarness.with { (sim) async throws in
            let service = try await sim.createService(appId: "shop", name: "cart")
            let id = try await sim.createInstance(serviceId: service, hostName: "h", endpoints: [])
            let base = "\(registry)/microservices/\(service)/instances/\(id)"
            for status in ["UP", "DOWN", "STARTING", "TESTING", "OUTOFSERVICE"] {
                #expect(try await sim.put("\(base)/status?value=\(status)").status == 200)
            }
            #expect(try await sim.put("\(base)/status?value=BROKEN").json["errorCode"]?.stringValue == "400001")
            let missing = try await sim.put("\(registry)/microservices/\(service)/instances/nope/status?value=UP")
            #expect(missing.json["errorCode"]?.stringValue == "400017")
            let gone = try await sim.put("\(registry)/microservices/\(service)/instances/nope/heartbeat")
            #expect(gone.json["errorCode"]?.stringValue == "400017")
        }
    }

    @Test func downInstancesAreStillReturned() async throws {
        try await SimulatorHarness.with { (sim) async throws in
            let service = try await sim.createService(appId: "shop", name: "cart")
            _ = try await sim.createInstance(
                serviceId: service, hostName: "h", endpoints: [], extra: #","status":"DOWN""#)
            let answer = try await sim.get("\(registry)/microservices/\(service)/instances")
            #expect(answer.json["instances"]?[0]?["status"]?.stringValue == "DOWN")
        }
    }
}

extension JSONValue {
    /// Array element access for tests.
    subscript(index: Int) -> JSONValue? {
        guard let array = arrayValue, array.indices.contains(index) else { return nil }
        return array[index]
    }
}
