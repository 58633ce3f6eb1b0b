import BridgeKernel
import ServiceCenterSimulator
import Testing

@Suite struct ServiceRegistrationTests {
    private let registry = SimulatorHarness.registry

    static func isDashlessUUIDv4(_ id: String) -> Bool {
        let scalars = Array(id.unicodeScalars)
        return scalars.count == 32 && scalars.allSatisfy { "0123456789abcdef".unicodeScalars.contains($0) }
            && scalars[12] == "4" && "89ab".unicodeScalars.contains(scalars[16])
    }

    @Test func registerServiceReturnsDashlessUUIDv4AndAppliesServerDefaults() async throws {
        try await SimulatorHarness.with { (sim) async throws in
            let created = try await sim.post("\(registry)/microservices", #"{"service":{"serviceName":"cart"}}"#)
            #expect(created.status == 200)
            let id = try #require(created.json["serviceId"]?.stringValue)
            #expect(Self.isDashlessUUIDv4(id))
            let service = try await sim.get("\(registry)/microservices/\(id)").json["service"]
            #expect(service?["appId"]?.stringValue == "default")
            #expect(service?["version"]?.stringValue == "0.0.1")
            #expect(service?["level"]?.stringValue == "BACK")
            #expect(service?["status"]?.stringValue == "UP")
            let timestamp = try #require(service?["timestamp"]?.stringValue)
            #expect(Int(timestamp) == 1_704_067_200)
            #expect(service?["modTimestamp"]?.stringValue == timestamp)
            #expect(service?["environment"] == nil)
        }
    }

    @Test func reRegisteringSameKeyWithoutIdReturnsExistingId() async throws {
        try await SimulatorHarness.with { (sim) async throws in
            let first = try await sim.createService(appId: "shop", name: "cart", version: "1.0.0")
            let second = try await sim.createService(appId: "shop", name: "cart", version: "1.0.0")
            #expect(first == second)
            let otherVersion = try await sim.createService(appId: "shop", name: "cart", version: "1.0.1")
            #expect(otherVersion != first)
        }
    }

    @Test func conflictingRequestedServiceIdIs400010() async throws {
        try await SimulatorHarness.with { (sim) async throws in
            _ = try await sim.createService(appId: "shop", name: "cart")
            let answer = try await sim.post(
                "\(registry)/microservices",
                #"{"service":{"serviceId":"mine","appId":"shop","serviceName":"cart","version":"1.0.0"}}"#
            )
            #expect(answer.status == 400)
            #expect(answer.json["errorCode"]?.stringValue == "400010")
            let chosen = try await sim.post(
                "\(registry)/microservices",
                #"{"service":{"serviceId":"mine","appId":"shop","serviceName":"other"}}"#
            )
            #expect(chosen.json["serviceId"]?.stringValue == "mine")
        }
    }

    @Test func existenceReturnsServiceIdOrFails400012() async throws {
        try await SimulatorHarness.with { (sim) async throws in
            let id = try await sim.createService(appId: "shop", name: "cart", version: "0.0.1")
            let found = try await sim.get(
                "\(registry)/existence?type=microservice&appId=shop&serviceName=cart&version=0.0.1&global=true"
            )
            #expect(found.body == #"{"serviceId":"\#(id)"}"#)
            let missing = try await sim.get(
                "\(registry)/existence?type=microservice&appId=shop&serviceName=nope&version=0.0.1"
            )
            #expect(missing.status == 400)
            #expect(missing.json["errorCode"]?.stringValue == "400012")
            #expect(missing.json["detail"]?.stringValue == "/shop/nope/0.0.1 does not exist.")
            let otherVersion = try await sim.get(
                "\(registry)/existence?type=microservice&appId=shop&serviceName=cart&version=9.0.0"
            )
            #expect(otherVersion.json["errorCode"]?.stringValue == "400026")
        }
    }

    @Test func deleteAcceptsForceFlagsAndRejectsOthers() async throws {
        try await SimulatorHarness.with { (sim) async throws in
            let id = try await sim.createService(appId: "shop", name: "cart")
            let bad = try await sim.delete("\(registry)/microservices/\(id)?force=yes")
            #expect(bad.json["errorCode"]?.stringValue == "400001")
            #expect(bad.json["detail"]?.stringValue == "parameter force must be false or true")
            _ = try await sim.createInstance(serviceId: id, hostName: "h", endpoints: ["rest://1.1.1.1:80"])
            let withInstances = try await sim.delete("\(registry)/microservices/\(id)?force=0")
            #expect(withInstances.json["errorCode"]?.stringValue == "400013")
            let forced = try await sim.delete("\(registry)/microservices/\(id)?force=1")
            #expect(forced.status == 200 && forced.body.isEmpty)
            #expect(try await sim.get("\(registry)/microservices/\(id)").status == 400)
        }
    }

    @Test func serviceCenterItselfCannotBeDeleted() async throws {
        try await SimulatorHarness.with { (sim) async throws in
            let selfId = try #require(await sim.simulator.selfServiceId)
            let answer = try await sim.delete("\(registry)/microservices/\(selfId)?force=true")
            #expect(answer.json["detail"]?.stringValue == "not allow to delete service center")
        }
    }

    @Test func governMicroservicesListsEveryServiceWithItsInstances() async throws {
        try await SimulatorHarness.with { (sim) async throws in
            let cart = try await sim.createService(appId: "shop", name: "cart")
            _ = try await sim.createInstance(serviceId: cart, hostName: "h", endpoints: ["rest://1.1.1.1:80"])
            _ = try await sim.createService(appId: "shop", name: "web")
            let answer = try await sim.get("/v4/default/govern/microservices?options=instances")
            let details = try #require(answer.json["allServicesDetail"]?.arrayValue)
            #expect(details.count == 2)
            let cartDetail = details.first { $0["microService"]?["serviceId"]?.stringValue == cart }
            #expect(cartDetail?["instances"]?.arrayValue?.count == 1)
            let statistics = try await sim.get("/v4/default/govern/microservices?options=statistics").json
            #expect(statistics["statistics"]?["services"]?["count"]?.intValue == 2)
            #expect(statistics["statistics"]?["instances"]?["count"]?.intValue == 1)
        }
    }
}
