import BridgeKernel
import Foundation
import Logging
import ServiceCenterSimulator
import SourceServiceCenter
import Testing

/// `Tests/Fixtures/tls/<name>`, located relative to this file.
func tlsFixture(_ name: String) -> String {
    URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/tls/\(name)").path
}

/// Runs a real `servicecenter` source against a simulator and follows what it reports.
final class SourceProbe: @unchecked Sendable {
    /// The services as the source last described them (snapshot + upserts − removes).
    private(set) var services: [ServiceKey: Service] = [:]
    private(set) var health: SourceHealth?
    private(set) var snapshots = 0
    private(set) var removed: [ServiceKey] = []
    private var iterator: AsyncStream<SourceUpdate>.AsyncIterator
    private let task: Task<Void, any Error>

    init(settings: ServiceCenterSourceSettings, name: String = "sc") {
        let (stream, continuation) = AsyncStream.makeStream(of: SourceUpdate.self)
        iterator = stream.makeAsyncIterator()
        var logger = Logger(label: "test.servicecenter")
        logger.logLevel = .critical
        let source = ServiceCenterSource(name: name, settings: settings, logger: logger)
        let output = SourceOutput(source: name) { continuation.yield($0) }
        task = Task {
            defer { continuation.finish() }
            try await source.run(output: output)
        }
    }

    /// Consumes updates until `condition` holds for the probe; records an issue after `limit` updates.
    @discardableResult
    func wait(
        upTo limit: Int = 400, sourceLocation: SourceLocation = #_sourceLocation,
        until condition: (SourceProbe) -> Bool
    ) async -> Bool {
        var consumed = 0
        while !condition(self) {
            guard consumed < limit, let update = await iterator.next() else {
                Issue.record("condition not reached after \(consumed) updates", sourceLocation: sourceLocation)
                return false
            }
            consumed += 1
            apply(update.change)
        }
        return true
    }

    private func apply(_ change: SourceChange) {
        switch change {
        case .snapshot(let list):
            snapshots += 1
            services = Dictionary(uniqueKeysWithValues: list.map { ($0.key, $0) })
        case .upsert(let service): services[service.key] = service
        case .remove(let key):
            removed.append(key)
            services[key] = nil
        case .health(let new): health = new
        }
    }

    func instanceIds(_ app: String, _ name: String, environment: String = "") -> [String] {
        services.values.first { $0.key.app == app && $0.key.name == name && $0.key.environment == environment }?
            .instances.map(\.id).sorted() ?? []
    }

    func instance(_ id: String) -> Instance? {
        services.values.lazy.flatMap(\.instances).first { $0.id == id }
    }

    var isHealthy: Bool { health?.isHealthy == true }

    /// Cancels the source and waits until it has returned (watchers unregistered).
    func stop() async {
        task.cancel()
        _ = try? await task.value
    }
}

/// A started simulator on an ephemeral port with a manual clock.
struct SimulatorFixture {
    let simulator: ServiceCenterSimulator
    let clock: ManualSimulatorClock
    let address: String

    static func start(tls: TLSSettings? = nil, rbac: RBACSettings? = nil) async throws -> SimulatorFixture {
        let clock = ManualSimulatorClock()
        var logger = Logger(label: "test.simulator")
        logger.logLevel = .critical
        let simulator = ServiceCenterSimulator(
            configuration: SimulatorConfiguration(
                port: 0, tls: tls, rbac: rbac, clock: clock, leaseSweepInterval: nil, logger: logger))
        let port = try await simulator.start()
        return SimulatorFixture(
            simulator: simulator, clock: clock, address: "\(tls == nil ? "http" : "https")://127.0.0.1:\(port)")
    }

    func settings(_ configure: (inout ServiceCenterSourceSettings) -> Void = { _ in }) -> ServiceCenterSourceSettings {
        var settings = ServiceCenterSourceSettings(
            addresses: [address], pollInterval: .milliseconds(30), resyncInterval: .seconds(60),
            watchPingInterval: .seconds(2), requestTimeout: .seconds(5))
        configure(&settings)
        return settings
    }

    @discardableResult
    func service(_ app: String, _ name: String, version: String = "1.0.0", environment: String = "") async throws
        -> String
    {
        try await simulator.registerService(
            MicroService(appId: app, serviceName: name, version: version, environment: environment))
    }

    @discardableResult
    func instance(
        _ serviceId: String, _ endpoints: [String], host: String = "host", keepAlive: Bool = false
    ) async throws -> String {
        try await simulator.registerInstance(
            MicroServiceInstance(serviceId: serviceId, endpoints: endpoints, hostName: host), keepAlive: keepAlive)
    }
}
