import Foundation
import ServiceCenterSimulator
import Testing

@Suite struct SeedTests {
    private static var examplePath: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("examples/servicecenter-seed.yaml").path
    }

    @Test func exampleSeedRegistersEveryEndpointKind() async throws {
        let document = try SeedDocument.load(path: Self.examplePath)
        let simulator = ServiceCenterSimulator(configuration: SimulatorConfiguration(port: 0, leaseSweepInterval: nil))
        let ids = try await simulator.load(seed: document)
        #expect(ids.count == document.services.count)
        var endpoints: [String] = []
        var statuses: [String] = []
        for id in ids {
            for instance in await simulator.instances(serviceId: id) {
                endpoints += instance.endpoints
                statuses.append(instance.status)
            }
        }
        #expect(statuses.contains("DOWN"))
        #expect(endpoints.contains { $0.hasPrefix("highway://") })
        #expect(endpoints.contains { $0.contains("[2001:db8::15]") })
        #expect(endpoints.contains { $0.hasPrefix("rest://") && $0.hasSuffix("?sslEnabled=true") })
        #expect(endpoints.contains { $0.hasPrefix("rest://payments.internal.example") })
        let storefront = try #require(await simulator.services().first { $0.serviceName == "storefront" })
        let cart = try #require(await simulator.services().first { $0.serviceName == "cart" })
        #expect(await simulator.dependsOn(consumerId: storefront.serviceId, providerId: cart.serviceId))
        #expect(Set(await simulator.services().map(\.environment)) == ["", "production", "testing"])
    }

    @Test func seedVersionScalarsStayStrings() throws {
        let document = try SeedDocument(text: "services:\n  - service: {serviceName: a, version: 1.0}\n")
        #expect(document.services.first?.service.version == "1.0")
    }

    @Test func invalidSeedNamesTheEntry() {
        #expect(throws: SimulatorError.self) {
            try SeedDocument(text: "services:\n  - service: {serviceName: [x]}\n")
        }
    }
}
