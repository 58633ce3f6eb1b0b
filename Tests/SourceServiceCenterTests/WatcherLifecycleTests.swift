import BridgeKernel
import Foundation
import ServiceCenterSimulator
import SourceServiceCenter
import Testing

@Suite(.timeLimit(.minutes(2))) struct WatcherLifecycleTests {
    @Test func watcherConsumersAreUnregisteredWhenTheSourceStops() async throws {
        let sc = try await SimulatorFixture.start()
        defer { Task { await sc.simulator.stop() } }
        let orders = try await sc.service("shop", "orders", environment: "production")
        try await sc.instance(orders, ["rest://10.0.0.1:8080"])
        let probe = SourceProbe(settings: sc.settings())
        await probe.wait { $0.snapshots == 1 }
        #expect(await sc.simulator.services().contains { $0.serviceName == "meshbridge-watcher" })
        await probe.stop()
        #expect(await !sc.simulator.services().contains { $0.serviceName == "meshbridge-watcher" })
        // The registry's own services are untouched.
        #expect(await sc.simulator.services().contains { $0.serviceName == "orders" })
    }

    @Test func anUnreachableFirstAddressFailsOverToTheNext() async throws {
        let sc = try await SimulatorFixture.start()
        defer { Task { await sc.simulator.stop() } }
        let orders = try await sc.service("shop", "orders")
        let instance = try await sc.instance(orders, ["rest://10.0.0.1:8080"])
        // Port 1 on loopback refuses connections at once.
        let probe = SourceProbe(settings: sc.settings { $0.addresses = ["http://127.0.0.1:1", sc.address] })
        await probe.wait { $0.snapshots == 1 && $0.isHealthy }
        #expect(probe.instance(instance) != nil)
        await probe.stop()
    }

    @Test func aDeletedWatcherConsumerIsRegisteredAgainAndEventsKeepFlowing() async throws {
        let sc = try await SimulatorFixture.start()
        defer { Task { await sc.simulator.stop() } }
        let orders = try await sc.service("shop", "orders")
        try await sc.instance(orders, ["rest://10.0.0.1:8080"])
        let probe = SourceProbe(settings: sc.settings())
        await probe.wait { $0.snapshots == 1 }
        let watcher = try #require(await sc.simulator.services().first { $0.serviceName == "meshbridge-watcher" })

        // Someone deletes the watcher consumer; the reconnecting socket is answered "service does not exist".
        try await sc.simulator.unregisterService(watcher.serviceId)
        _ = await sc.simulator.dropAllWatchSockets()
        let added = try await sc.instance(orders, ["rest://10.0.0.2:8080"])
        await probe.wait { $0.instance(added) != nil }
        let again = await sc.simulator.services().filter { $0.serviceName == "meshbridge-watcher" }
        #expect(again.count == 1)
        #expect(again.first?.serviceId != watcher.serviceId)

        // Events flow through the new watcher's socket.
        try await sc.simulator.setInstanceStatus("DOWN", serviceId: orders, instanceId: added)
        await probe.wait { $0.instance(added)?.status == .down }
        await probe.stop()
    }
}
