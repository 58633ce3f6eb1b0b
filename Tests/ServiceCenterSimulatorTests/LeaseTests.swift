import BridgeKernel
import ServiceCenterSimulator
import Testing

/// Instance leases: TTL = interval × (times + 1), driven by the injected clock.
@Suite struct LeaseTests {
    private let registry = SimulatorHarness.registry

    @Test func expiredLeaseDeletesInstanceAndSendsDeleteFrame() async throws {
        try await SimulatorHarness.with { (sim) async throws in
            let provider = try await sim.createService(appId: "shop", name: "cart")
            let consumer = try await sim.createService(appId: "shop", name: "web")
            let instance = try await sim.createInstance(
                serviceId: provider, hostName: "h", endpoints: ["rest://1.1.1.1:80"])
            _ = try await sim.find(appId: "shop", name: "cart", consumerId: consumer)
            let socket = try await RawWebSocket.connect(port: sim.port, path: sim.watchPath(consumer))
            try await eventually("the socket is registered") { sim.simulator.openWatchSocketCount == 1 }

            // Default lease: 30 s × (3 + 1) = 120 s.
            #expect(try await sim.simulator.advance(by: .seconds(119)).isEmpty)
            let expired = try await sim.simulator.advance(by: .seconds(1))
            #expect(expired.map(\.instanceId) == [instance])

            let frame = try JSONValue.parse(try #require(try await socket.nextFrame()).text)
            #expect(frame["action"]?.stringValue == "DELETE")
            #expect(frame["instance"]?["instanceId"]?.stringValue == instance)
            #expect(try await sim.get("\(registry)/microservices/\(provider)/instances").body == "{}")
            await socket.close()
        }
    }

    @Test func heartbeatRenewsTheLease() async throws {
        try await SimulatorHarness.with { (sim) async throws in
            let provider = try await sim.createService(appId: "shop", name: "cart")
            let instance = try await sim.createInstance(
                serviceId: provider,
                hostName: "h",
                endpoints: [],
                extra: #","healthCheck":{"mode":"push","interval":10,"times":3}"#
            )
            // 10 s × 4 = 40 s.
            _ = try await sim.simulator.advance(by: .seconds(30))
            #expect(
                try await sim.put("\(registry)/microservices/\(provider)/instances/\(instance)/heartbeat").status == 200
            )
            #expect(try await sim.simulator.advance(by: .seconds(30)).isEmpty)
            #expect(try await sim.simulator.advance(by: .seconds(10)).map(\.instanceId) == [instance])
        }
    }

    @Test func keptAliveInstancesAndServiceCenterItselfNeverExpire() async throws {
        try await SimulatorHarness.with { (sim) async throws in
            let provider = try await sim.simulator.registerService(MicroService(appId: "shop", serviceName: "cart"))
            try await sim.simulator.registerInstance(
                MicroServiceInstance(serviceId: provider, hostName: "seeded"),
                keepAlive: true
            )
            #expect(try await sim.simulator.advance(by: .seconds(3600)).isEmpty)
            #expect(await sim.simulator.instances(serviceId: provider).count == 1)
            #expect(try await sim.get("\(registry)/health").json["instances"]?.arrayValue?.count == 1)
        }
    }

    @Test func advanceNeedsAManualClock() async throws {
        let simulator = ServiceCenterSimulator(configuration: SimulatorConfiguration(port: 0, leaseSweepInterval: nil))
        await #expect(throws: SimulatorError.self) { try await simulator.advance(by: .seconds(1)) }
    }
}
