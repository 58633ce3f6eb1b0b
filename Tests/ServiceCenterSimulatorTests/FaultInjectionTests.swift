import BridgeKernel
import HummingbirdTesting
import ServiceCenterSimulator
import Testing

@Suite struct FaultInjectionTests {
    private let registry = SimulatorHarness.registry

    @Test func failFaultAnswers500003OnlyForMatchingRoutes() async throws {
        try await SimulatorHarness.with { (sim) async throws in
            sim.simulator.faults.failRequests(
                matching: RequestMatcher(method: "GET", route: "/v4/:project/registry/microservices")
            )
            let failed = try await sim.get("\(registry)/microservices")
            #expect(failed.status == 500)
            #expect(failed.json["errorCode"]?.stringValue == "500003")
            #expect(failed.json["errorMessage"]?.stringValue == "Internal server error")
            #expect(try await sim.get("\(registry)/version").status == 200)
            sim.simulator.faults.clear()
            #expect(try await sim.get("\(registry)/microservices").status == 200)
        }
    }

    @Test func countedFailFaultStopsAfterCount() async throws {
        try await SimulatorHarness.with { (sim) async throws in
            sim.simulator.faults.failRequests(count: 2)
            #expect(try await sim.get("\(registry)/microservices").status == 500)
            #expect(try await sim.get("\(registry)/version").status == 500)
            #expect(try await sim.get("\(registry)/microservices").status == 200)
        }
    }

    @Test func latencyFaultDelaysMatchingResponses() async throws {
        try await SimulatorHarness.with { (sim) async throws in
            sim.simulator.faults.addLatency(
                .milliseconds(300), matching: RequestMatcher(pathPrefix: "/v4/default/registry/version"))
            let started = ContinuousClock.now
            #expect(try await sim.get("\(registry)/version").status == 200)
            // A lower bound only: the answer cannot arrive before the injected delay.
            #expect(ContinuousClock.now - started >= .milliseconds(300))
        }
    }

    @Test func refusedWatchSocketsGet500AndOpenOnesStay() async throws {
        try await SimulatorHarness.with { (sim) async throws in
            let consumer = try await sim.createService(appId: "shop", name: "web")
            let open = try await RawWebSocket.connect(port: sim.port, path: sim.watchPath(consumer))
            try await eventually("the socket is registered") { sim.simulator.openWatchSocketCount == 1 }
            sim.simulator.faults.refuseWatchSockets(.internalError)
            let refused = try await RawWebSocket.connect(port: sim.port, path: sim.watchPath(consumer))
            #expect(refused.handshakeStatus == 500)
            #expect(sim.simulator.openWatchSocketCount == 1)
            sim.simulator.faults.refuseWatchSockets(.dropConnection)
            let dropped = try await RawWebSocket.connect(port: sim.port, path: sim.watchPath(consumer))
            #expect(dropped.handshakeStatus == 0)
            sim.simulator.faults.refuseWatchSockets(nil)
            let accepted = try await RawWebSocket.connect(port: sim.port, path: sim.watchPath(consumer))
            #expect(accepted.handshakeStatus == 101)
            await open.close()
            await accepted.close()
        }
    }

    @Test func droppingAllWatchSocketsClosesThemWithoutCloseFrame() async throws {
        try await SimulatorHarness.with { (sim) async throws in
            let consumer = try await sim.createService(appId: "shop", name: "web")
            let first = try await RawWebSocket.connect(port: sim.port, path: sim.watchPath(consumer))
            let second = try await RawWebSocket.connect(port: sim.port, path: sim.watchPath(consumer))
            try await eventually("both sockets are registered") { sim.simulator.openWatchSocketCount == 2 }
            #expect(await sim.simulator.dropAllWatchSockets() == 2)
            #expect(try await first.remainingFrames().isEmpty)
            #expect(try await second.remainingFrames().isEmpty)
            try await eventually("no socket is left") { sim.simulator.openWatchSocketCount == 0 }
        }
    }

    @Test func goAwayStopsListeningAndComeBackServesTheSamePortAndData() async throws {
        try await SimulatorHarness.with { (sim) async throws in
            let service = try await sim.createService(appId: "shop", name: "cart")
            let consumer = try await sim.createService(appId: "shop", name: "web")
            let socket = try await RawWebSocket.connect(port: sim.port, path: sim.watchPath(consumer))
            try await eventually("the socket is registered") { sim.simulator.openWatchSocketCount == 1 }
            await sim.simulator.goAway()
            #expect(try await socket.remainingFrames().isEmpty)
            await #expect(throws: (any Error).self) { try await sim.get("\(registry)/microservices/\(service)") }
            try await sim.simulator.comeBack()
            #expect(sim.simulator.port == sim.port)
            #expect(try await sim.get("\(registry)/microservices/\(service)").status == 200)
        }
    }

    @Test func lostDependencyRegistrationMeansNoEventsUntilTheNextFind() async throws {
        try await SimulatorHarness.with { (sim) async throws in
            let provider = try await sim.createService(appId: "shop", name: "cart")
            let consumer = try await sim.createService(appId: "shop", name: "web")
            sim.simulator.faults.loseDependencyRegistrations(forNextFinds: 1)
            #expect(try await sim.find(appId: "shop", name: "cart", consumerId: consumer).status == 200)
            #expect(!(await sim.simulator.dependsOn(consumerId: consumer, providerId: provider)))
            _ = try await sim.createInstance(serviceId: provider, hostName: "lost", endpoints: [])
            #expect(sim.simulator.publishedEvents.last?.consumerIds == [])
            // The next find registers it (Service Center retries while the rule is missing).
            _ = try await sim.find(appId: "shop", name: "cart", consumerId: consumer)
            #expect(await sim.simulator.dependsOn(consumerId: consumer, providerId: provider))
            _ = try await sim.createInstance(serviceId: provider, hostName: "seen", endpoints: [])
            #expect(sim.simulator.publishedEvents.last?.consumerIds == [consumer])
        }
    }

    @Test func unhealthyFaultMakesHealth400002() async throws {
        try await SimulatorHarness.with { (sim) async throws in
            sim.simulator.faults.setUnhealthy(true)
            let answer = try await sim.get("\(registry)/health")
            #expect(answer.status == 400)
            #expect(answer.json["errorCode"]?.stringValue == "400002")
        }
    }

    @Test func adminAPIControlsFaultsOverHTTP() async throws {
        try await SimulatorHarness.with { (sim) async throws in
            let set = try await sim.post(
                "/__sim/faults/fail", #"{"route":"/v4/:project/registry/microservices","count":1}"#)
            #expect(set.status == 200)
            #expect(set.json["failures"]?[0]?["remaining"]?.intValue == 1)
            #expect(try await sim.get("\(registry)/microservices").status == 500)
            #expect(try await sim.get("\(registry)/microservices").status == 200)
            #expect(try await sim.post("/__sim/faults/unhealthy", #"{"unhealthy":true}"#).status == 200)
            #expect(try await sim.get("\(registry)/health").status == 400)
            #expect(try await sim.delete("/__sim/faults").json["unhealthy"] == false)
            #expect(try await sim.post("/__sim/faults/refuse-watch", #"{"mode":"sometimes"}"#).status == 400)
            #expect(try await sim.get("/__sim/nothing").status == 404)
        }
    }

    @Test func adminGoAwayComesBackByItself() async throws {
        try await SimulatorHarness.with { (sim) async throws in
            #expect(try await sim.post("/__sim/faults/go-away", #"{"milliseconds":200}"#).status == 200)
            try await eventually("the listener is back") {
                (try? await sim.get("\(SimulatorHarness.registry)/version").status) == 200
            }
        }
    }
}
