import BridgeKernel
import ServiceCenterSimulator
import Testing

@Suite struct ObservabilityTests {
    private let registry = SimulatorHarness.registry

    @Test func requestCountersCountPerRoutePattern() async throws {
        try await SimulatorHarness.with { (sim) async throws in
            _ = try await sim.get("\(registry)/microservices")
            _ = try await sim.get("/v4/other/registry/microservices")
            _ = try await sim.get("/nope")
            #expect(sim.simulator.requestCount("GET", "/v4/:project/registry/microservices") == 2)
            #expect(sim.simulator.requestCounts["GET (unmatched)"] == 1)
            let stats = try await sim.get("/__sim/stats").json
            #expect(stats["requests"]?["GET /v4/:project/registry/microservices"]?.intValue == 2)
        }
    }

    @Test func openWatchSocketCountFollowsConnections() async throws {
        try await SimulatorHarness.with { (sim) async throws in
            let consumer = try await sim.createService(appId: "shop", name: "web")
            #expect(sim.simulator.openWatchSocketCount == 0)
            let socket = try await RawWebSocket.connect(port: sim.port, path: sim.watchPath(consumer))
            try await eventually("the socket is counted") { sim.simulator.openWatchSocketCount == 1 }
            #expect(try await sim.get("/__sim/stats").json["openWatchSockets"]?.intValue == 1)
            #expect(sim.simulator.openWatchSockets.first?.consumerId == consumer)
            try await socket.sendClose(code: 1000, reason: "")
            _ = try await socket.remainingFrames()
            try await eventually("the socket is no longer counted") { sim.simulator.openWatchSocketCount == 0 }
        }
    }

    @Test func publishedEventLogRecordsEveryInstanceEvent() async throws {
        try await SimulatorHarness.with { (sim) async throws in
            let provider = try await sim.createService(appId: "shop", name: "cart")
            let instance = try await sim.createInstance(serviceId: provider, hostName: "h", endpoints: [])
            #expect(
                try await sim.put("\(registry)/microservices/\(provider)/instances/\(instance)/status?value=DOWN")
                    .status == 200)
            #expect(try await sim.delete("\(registry)/microservices/\(provider)/instances/\(instance)").status == 200)
            let mine = sim.simulator.publishedEvents.filter { $0.event.instance.serviceId == provider }
            #expect(mine.map(\.event.action) == [.create, .update, .delete])
            #expect(mine.allSatisfy { $0.event.key.serviceName == "cart" && $0.tenant == .default })
            let log = try await sim.get("/__sim/events").json.arrayValue ?? []
            #expect(log.compactMap { $0["event"]?["action"]?.stringValue }.suffix(3) == ["CREATE", "UPDATE", "DELETE"])
        }
    }

    @Test func batchedPropertyChangesApplyAndAnnounceEachChangeLikeItsPut() async throws {
        try await SimulatorHarness.with { (sim) async throws in
            let provider = try await sim.createService(appId: "shop", name: "cart")
            let first = try await sim.createInstance(serviceId: provider, hostName: "a", endpoints: [])
            let second = try await sim.createInstance(serviceId: provider, hostName: "b", endpoints: [])
            let body =
                #"{"changes":[{"serviceId":"\#(provider)","instanceId":"\#(first)","properties":{"k":"1"}},"#
                + #"{"serviceId":"\#(provider)","instanceId":"\#(second)","properties":{"k":"2"}}]}"#
            let answer = try await sim.post("/__sim/instances/properties", body)
            #expect(answer.status == 200 && answer.json["applied"] == 2)
            let updates = sim.simulator.publishedEvents.filter { $0.event.action == .update }
            #expect(updates.map(\.event.instance.instanceId) == [first, second])
            #expect(updates.map { $0.event.instance.properties["k"] } == ["1", "2"])
            // A change of an unknown instance stops the batch and names the change.
            let bad = #"{"changes":[{"serviceId":"\#(provider)","instanceId":"nope","properties":{}}]}"#
            let refused = try await sim.post("/__sim/instances/properties", bad)
            #expect(refused.status == 400)
            #expect(refused.json["error"]?.stringValue?.contains("change 0 (\(provider)/nope)") == true)
        }
    }
}
