import ArgumentParser
import BridgeKernel
import Foundation
import Logging
import ServiceCenterSimulator

/// `bridge demo`: starts an in-process Service Center simulator, runs the real `servicecenter` source against it
/// with the file sink, changes instances while it runs, and prints what was written. Needs no cluster, registry
/// or config file.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Bridge an in-process Service Center simulator into GitOps manifests in a directory.")

    @Option(help: "Where to write the manifests.")
    var output = "bridge-demo-output"

    func run() async throws {
        var simulatorLogger = Logger(label: "servicecenter-simulator")
        simulatorLogger.logLevel = .warning
        let simulator = ServiceCenterSimulator(
            configuration: SimulatorConfiguration(host: "127.0.0.1", port: 0, logger: simulatorLogger))
        let port = try await simulator.start()
        print("MeshBridge demo: Service Center simulator listening on 127.0.0.1:\(port)")
        let registry = try await DemoRegistry.seed(simulator)
        print("seeded 3 services (2 apps, 2 environments) with \(registry.instanceCount) instances")

        let yaml = DemoConfiguration.yaml(address: "http://127.0.0.1:\(port)", outputDirectory: output)
        let configuration: BridgeConfiguration
        do {
            configuration = try ConfigLoader.load(
                yaml: yaml, file: "<embedded demo config>", logger: Logger(label: "meshbridge"))
        } catch ExitCodeError.configuration {
            await simulator.stop()
            throw ExitCode(1)
        }
        LoggingSetup.bootstrap(configuration.log)
        let pipeline = Pipeline(
            sources: configuration.sources, transforms: configuration.transforms, renderer: configuration.renderer,
            sinks: configuration.sinks, debounce: configuration.debounce, clock: ContinuousClock(),
            logger: Logger(label: "meshbridge"))
        let (pushes, pushed) = AsyncStream.makeStream(of: Bool.self)
        pipeline.observe { event in
            switch event {
            case .push(let summary, _):
                print(
                    "  push #\(summary.revision): \(summary.services) services, \(summary.instances) instances → \(summary.objects) objects"
                )
            case .sinkApplied(let sink, _, let report):
                print("  sink \(sink): \(report)")
                pushed.yield(true)
            case .sinkFailed(let sink, _, let error):
                print("  sink \(sink) failed: \(error)")
                pushed.yield(false)
            case .pushCancelled, .written:
                // The demo has no leader election (it always leads) and prints no latencies.
                break
            }
        }
        let succeeded = try await withThrowingTaskGroup(of: Bool.self) { group in
            group.addTask {
                try await pipeline.run()
                return true
            }
            group.addTask {
                defer { pipeline.shutdown() }
                return try await DemoScript.run(registry: registry, simulator: simulator, pushes: pushes)
            }
            var allSucceeded = true
            for try await result in group { allSucceeded = allSucceeded && result }
            return allSucceeded
        }
        pushed.finish()
        await simulator.stop()
        let files =
            (try? FileManager.default.contentsOfDirectory(atPath: output).filter { $0.hasSuffix(".yaml") }.sorted())
            ?? []
        print("wrote \(files.count) files to \(output)/:")
        for file in files { print("  \(file)") }
        print("try: kubectl kustomize \(output)")
        if !succeeded { throw ExitCode(1) }
    }
}

/// The ids of what the demo registered, so the script can change it.
struct DemoRegistry: Sendable {
    var ordersV1: String
    var ordersV2: String
    var ordersInstances: [String]
    var paymentService: String
    var paymentInstances: [String]
    var instanceCount: Int { ordersInstances.count + paymentInstances.count + 1 }

    static func seed(_ simulator: ServiceCenterSimulator) async throws -> DemoRegistry {
        let orders1 = try await simulator.registerService(
            MicroService(appId: "shop", serviceName: "orders", version: "1.0.0", environment: "production"))
        let orders2 = try await simulator.registerService(
            MicroService(appId: "shop", serviceName: "orders", version: "1.1.0", environment: "production"))
        let payment = try await simulator.registerService(
            MicroService(appId: "shop", serviceName: "Payment_Service", version: "2.0.0", environment: "production"))
        let billing = try await simulator.registerService(
            MicroService(appId: "finance", serviceName: "billing", version: "1.0.0", environment: "testing"))
        func instance(_ serviceId: String, _ host: String, _ endpoints: [String]) async throws -> String {
            try await simulator.registerInstance(
                MicroServiceInstance(serviceId: serviceId, endpoints: endpoints, hostName: host), keepAlive: true)
        }
        let o1 = try await instance(orders1, "orders-host-1", ["rest://10.0.0.11:8080"])
        let o2 = try await instance(
            orders2, "orders-host-2", ["rest://10.0.0.12:8080", "rest://10.0.0.12:8443?sslEnabled=true"])
        let p1 = try await instance(payment, "pay-host-1", ["grpc://10.0.1.5:9090", "highway://10.0.1.5:7070"])
        let p2 = try await instance(payment, "pay-host-2", ["grpc://10.0.1.6:9090"])
        _ = try await instance(billing, "billing-host-1", ["rest://10.0.2.7:8080"])
        return DemoRegistry(
            ordersV1: orders1, ordersV2: orders2, ordersInstances: [o1, o2], paymentService: payment,
            paymentInstances: [p1, p2])
    }
}

/// The changes the demo makes while the bridge runs; each waits for the push it causes.
enum DemoScript {
    static func run(
        registry: DemoRegistry, simulator: ServiceCenterSimulator, pushes: AsyncStream<Bool>
    ) async throws -> Bool {
        var iterator = pushes.makeAsyncIterator()
        func awaitPush(_ step: String) async -> Bool {
            guard let ok = await iterator.next() else { return false }
            if !ok { print("step failed: \(step)") }
            return ok
        }
        print("step 1/4: initial sync")
        guard await awaitPush("initial sync") else { return false }
        print("step 2/4: registering a new orders 1.1.0 instance")
        _ = try await simulator.registerInstance(
            MicroServiceInstance(
                serviceId: registry.ordersV2, endpoints: ["rest://10.0.0.13:8080"], hostName: "orders-host-3"),
            keepAlive: true)
        guard await awaitPush("register") else { return false }
        print("step 3/4: setting orders instance \(registry.ordersInstances[0]) DOWN")
        try await simulator.setInstanceStatus(
            "DOWN", serviceId: registry.ordersV1, instanceId: registry.ordersInstances[0])
        guard await awaitPush("set DOWN") else { return false }
        print("step 4/4: deregistering Payment_Service instance \(registry.paymentInstances[1])")
        try await simulator.unregisterInstance(
            serviceId: registry.paymentService, instanceId: registry.paymentInstances[1])
        guard await awaitPush("deregister") else { return false }
        print("demo finished: 4 steps, each written by the file sink")
        return true
    }

}

/// The demo configuration: the real `servicecenter` source against the in-process simulator, and the file sink.
enum DemoConfiguration {
    static func yaml(address: String, outputDirectory: String) -> String {
        """
        sources:
          - type: servicecenter
            name: demo
            addresses: ["\(address)"]
            pollInterval: 200ms
        debounce: {quiet: 150ms, maxDelay: 1s}
        sinks:
          - type: file
            directory: \(outputDirectory)
        log: {level: warning}
        """
    }
}
