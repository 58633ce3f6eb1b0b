import ServiceCenterSimulator
import Testing

@Suite struct LifecycleTests {
    @Test func startingOnAPortInUseFailsWithBindFailed() async throws {
        let first = try await SimulatorHarness.start()
        let second = ServiceCenterSimulator(
            configuration: SimulatorConfiguration(port: first.port, leaseSweepInterval: nil)
        )
        do {
            try await second.start()
            Issue.record("a second listener bound port \(first.port)")
            await second.stop()
        } catch let error as SimulatorError {
            #expect(error.code == .bindFailed)
            #expect(error.description.contains("127.0.0.1:\(first.port)"))
        }
        await first.simulator.stop()
    }

    @Test func stopThenStartListensOnTheSamePortWithTheSameData() async throws {
        let sim = try await SimulatorHarness.start()
        let service = try await sim.createService(appId: "shop", name: "cart")
        await sim.simulator.stop()
        await #expect(throws: (any Error).self) { try await sim.get("/version") }
        #expect(try await sim.simulator.start() == sim.port)
        #expect(try await sim.get("\(SimulatorHarness.registry)/microservices/\(service)").status == 200)
        // Service Center registered itself only once.
        let shared = try await sim.get("\(SimulatorHarness.registry)/microservices?withShared=true")
        #expect(shared.json["services"]?.arrayValue?.count == 2)
        await sim.simulator.stop()
    }

    @Test func startingTwiceIsRejected() async throws {
        let sim = try await SimulatorHarness.start()
        await #expect(throws: SimulatorError.self) { try await sim.simulator.start() }
        await sim.simulator.stop()
    }
}
