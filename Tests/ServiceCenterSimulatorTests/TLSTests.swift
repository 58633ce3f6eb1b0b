import BridgeKernel
import HummingbirdTesting
import HummingbirdWSClient
import Logging
import NIOConcurrencyHelpers
import NIOSSL
import ServiceCenterSimulator
import Testing

@Suite struct TLSTests {
    private func clientTLS(_ paths: [String: String], withClientCertificate: Bool) throws -> TLSConfiguration {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.trustRoots = .file(paths["ca"]!)
        if withClientCertificate {
            configuration.certificateChain = try NIOSSLCertificate.fromPEMFile(paths["clientCertificate"]!).map {
                .certificate($0)
            }
            configuration.privateKey = .privateKey(try NIOSSLPrivateKey(file: paths["clientKey"]!, format: .pem))
        }
        return configuration
    }

    @Test func tlsModeServesHTTPSAndAdvertisesSSLEndpoint() async throws {
        let paths = try TLSFixtures.writeToTemporaryDirectory()
        let sim = try await SimulatorHarness.start(
            tls: TLSSettings(certificateChainPath: paths["serverCertificate"]!, privateKeyPath: paths["serverKey"]!),
            clientTLS: try clientTLS(paths, withClientCertificate: false)
        )
        defer { Task { await sim.simulator.stop() } }
        let health = try await sim.get("\(SimulatorHarness.registry)/health")
        #expect(health.status == 200)
        #expect(
            health.json["instances"]?[0]?["endpoints"] == [.string("rest://127.0.0.1:\(sim.port)/?sslEnabled=true")])
        #expect(sim.simulator.baseURL == "https://127.0.0.1:\(sim.port)")
    }

    @Test func clientCertificateIsRequiredWhenCAIsConfigured() async throws {
        let paths = try TLSFixtures.writeToTemporaryDirectory()
        let settings = TLSSettings(
            certificateChainPath: paths["serverCertificate"]!,
            privateKeyPath: paths["serverKey"]!,
            clientCAPath: paths["ca"]!
        )
        let anonymous = try await SimulatorHarness.start(
            tls: settings, clientTLS: try clientTLS(paths, withClientCertificate: false))
        await #expect(throws: (any Error).self) { try await anonymous.get("/version") }
        let authenticated = SimulatorHarness(
            simulator: anonymous.simulator,
            clock: anonymous.clock,
            port: anonymous.port,
            tls: try clientTLS(paths, withClientCertificate: true)
        )
        #expect(try await authenticated.get("/version").status == 200)
        await anonymous.simulator.stop()
    }

    @Test func watchWorksOverWSS() async throws {
        let paths = try TLSFixtures.writeToTemporaryDirectory()
        let tls = try clientTLS(paths, withClientCertificate: false)
        let sim = try await SimulatorHarness.start(
            tls: TLSSettings(certificateChainPath: paths["serverCertificate"]!, privateKeyPath: paths["serverKey"]!),
            clientTLS: tls
        )
        let provider = try await sim.createService(appId: "shop", name: "cart")
        let consumer = try await sim.createService(appId: "shop", name: "web")
        _ = try await sim.find(appId: "shop", name: "cart", consumerId: consumer)
        let simulator = sim.simulator
        let firstFrame = try await withThrowingTaskGroup(of: String?.self) { group in
            group.addTask {
                let frame = NIOLockedValueBox<String?>(nil)
                _ = try await WebSocketClient.connect(
                    url: "wss://127.0.0.1:\(sim.port)\(sim.watchPath(consumer))",
                    configuration: WebSocketClientConfiguration(sniHostname: "localhost"),
                    tlsConfiguration: tls,
                    logger: Logger(label: "wss-test")
                ) { inbound, outbound, _ in
                    try await eventually("the socket is registered") { simulator.openWatchSocketCount == 1 }
                    try await simulator.registerInstance(MicroServiceInstance(serviceId: provider, hostName: "tls"))
                    for try await message in inbound.messages(maxSize: 1 << 16) {
                        if case .text(let text) = message { frame.withLockedValue { $0 = text } }
                        break
                    }
                    try await outbound.close(.normalClosure, reason: nil)
                }
                return frame.withLockedValue { $0 }
            }
            return try await group.next() ?? nil
        }
        await sim.simulator.stop()
        let event = try JSONValue.parse(try #require(firstFrame))
        #expect(event["action"]?.stringValue == "CREATE")
        #expect(event["instance"]?["hostName"]?.stringValue == "tls")
    }
}
