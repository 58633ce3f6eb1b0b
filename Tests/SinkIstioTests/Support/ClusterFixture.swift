import BridgeKernel
import Foundation
import IstioMapping
import KubeSimulator
import KubernetesAPI
import Logging
import SinkIstio
import Testing

/// A Kubernetes simulator on an ephemeral loopback port, and sinks connected to it.
struct ClusterFixture: Sendable {
    let simulator: KubeSimulator
    let port: Int
    let directory: String

    static let namespace = "istio-system"
    static let serviceEntries = "/apis/networking.istio.io/v1/namespaces/istio-system/serviceentries"
    static let workloadEntries = "/apis/networking.istio.io/v1/namespaces/istio-system/workloadentries"

    static func start(_ configuration: KubeSimulatorConfiguration = KubeSimulatorConfiguration()) async throws
        -> ClusterFixture
    {
        let simulator = try KubeSimulator(configuration: configuration)
        let port = try await simulator.start()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "sinkistio-\(UUID().uuidString)"
        ).path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        return ClusterFixture(simulator: simulator, port: port, directory: directory)
    }

    func stop() async {
        await simulator.stop()
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// A plain-HTTP connection with no credentials.
    var connection: ClusterConnection {
        ClusterConnection(server: "http://127.0.0.1:\(port)", namespace: Self.namespace)
    }

    /// A sink writing to the simulator.
    func sink(
        name: String = "cluster", connection: ClusterConnection? = nil,
        configure: (inout IstioSinkSettings) -> Void = { _ in },
        observer: (@Sendable (KubernetesClient.RequestRecord) -> Void)? = nil
    ) -> IstioSink {
        var settings = IstioSinkSettings(connection: connection ?? self.connection)
        settings.qps = 0
        configure(&settings)
        return IstioSink(name: name, settings: settings, logger: Logger(label: "test.\(name)"), observer: observer)
    }

    /// Writes the sink's field manager made (server-side apply patches and deletes), oldest first.
    func bridgeWrites(manager: String = "meshbridge") -> [WriteRecord] {
        simulator.writeLog.all.filter {
            $0.fieldManager == manager || ($0.verb == "delete" && $0.userAgent.hasPrefix("meshbridge"))
        }
    }

    /// The objects at a collection path, by name.
    func objects(_ path: String) async -> [String: JSONValue] {
        let (_, body) = await simulator.perform("GET", path)
        var result: [String: JSONValue] = [:]
        for item in body?["items"]?.arrayValue ?? [] {
            if let name = item["metadata"]?["name"]?.stringValue { result[name] = item }
        }
        return result
    }

    /// Writes a file in the fixture directory.
    func write(_ name: String, _ text: String) throws -> String {
        let path = (directory as NSString).appendingPathComponent(name)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Runs the real kubectl against the simulator.
    func kubectl(_ arguments: [String]) async throws -> (status: Int32, output: String) {
        let kubeconfig = try write("kubeconfig", simulator.kubeconfig(namespace: Self.namespace))
        return try await runProcess(
            "kubectl", ["--kubeconfig", kubeconfig, "--cache-dir", directory + "/kubectl-cache"] + arguments)
    }
}

/// Runs a program to completion and returns its exit status and combined output. Never blocks a thread of the
/// cooperative pool (the in-process simulator needs them): output goes to a file, exit is awaited.
func runProcess(_ executable: String, _ arguments: [String]) async throws -> (status: Int32, output: String) {
    let outputPath = FileManager.default.temporaryDirectory.appendingPathComponent("out-\(UUID().uuidString)").path
    _ = FileManager.default.createFile(atPath: outputPath, contents: nil)
    defer { try? FileManager.default.removeItem(atPath: outputPath) }
    let output = try FileHandle(forWritingTo: URL(fileURLWithPath: outputPath))
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = [executable] + arguments
    process.standardOutput = output
    process.standardError = output
    let status: Int32 = try await withCheckedThrowingContinuation { continuation in
        process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
        do {
            try process.run()
        } catch {
            process.terminationHandler = nil
            continuation.resume(throwing: error)
        }
    }
    try output.close()
    return (status, (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "")
}

/// Polls `condition` until it holds; fails the test after `limit` (a generous bound, not a timing assertion).
func eventually(
    _ what: String, limit: Duration = .seconds(20), sourceLocation: SourceLocation = #_sourceLocation,
    _ condition: () async throws -> Bool
) async throws {
    let deadline = ContinuousClock.now + limit
    while ContinuousClock.now < deadline {
        if try await condition() { return }
        try await Task.sleep(for: .milliseconds(50))
    }
    Issue.record("gave up waiting: \(what)", sourceLocation: sourceLocation)
}

/// A registry as the pipeline sees it, rendered to desired states with the real Istio renderer.
struct RegistryModel {
    private var registry = RegistryState(sourceNames: ["registry"])
    private var builder = DesiredStateBuilder(transforms: [], renderer: IstioRenderer())

    /// Replaces everything with `services` (a full listing: pruning allowed).
    mutating func snapshot(_ services: [Service]) -> DesiredState {
        var changes = ChangeSet()
        changes.add(SourceUpdate(source: "registry", change: .snapshot(services)))
        changes.add(SourceUpdate(source: "registry", change: .health(.healthy)))
        return push(changes)
    }

    /// Adds or replaces one service.
    mutating func upsert(_ service: Service) -> DesiredState {
        var changes = ChangeSet()
        changes.add(SourceUpdate(source: "registry", change: .upsert(service)))
        return push(changes)
    }

    /// Removes one service.
    mutating func remove(_ key: ServiceKey) -> DesiredState {
        var changes = ChangeSet()
        changes.add(SourceUpdate(source: "registry", change: .remove(key)))
        return push(changes)
    }

    /// Marks the registry unhealthy (no pruning).
    mutating func outage() -> DesiredState {
        var changes = ChangeSet()
        changes.add(SourceUpdate(source: "registry", change: .health(.unhealthy(reason: "test outage"))))
        return push(changes)
    }

    private mutating func push(_ changes: ChangeSet) -> DesiredState {
        let touched = registry.apply(changes)
        return builder.update(registry: registry, changed: touched).0
    }
}

/// Test services.
enum Services {
    static func make(_ name: String, instances: Int = 2, firstAddress: Int = 1, port: Int = 8080) -> Service {
        Service(
            key: ServiceKey(source: "registry", environment: "production", app: "shop", name: name),
            instances: (0..<instances).map { index in
                Instance(
                    id: "\(name)-\(index)", hostName: "host-\(index)", version: "1.0.0",
                    endpoints: [Endpoint(scheme: "rest", host: "10.0.0.\(firstAddress + index)", port: port)],
                    status: .up, metadata: [:], region: "", zone: "")
            })
    }
}
