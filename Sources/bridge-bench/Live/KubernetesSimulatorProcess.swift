import BridgeKernel
import Foundation
import KubernetesAPI
import Logging

/// `bridge-sim kube` in its own process (so its memory is not the bridge's), with a client for set-up and for
/// reading its write log.
struct KubernetesSimulatorProcess {
    let process: ChildProcess
    let kubeconfig: String
    let connection: ClusterConnection
    let admin: KubernetesClient

    static func start(directory: String) async throws -> KubernetesSimulatorProcess {
        let kubeconfig = "\(directory)/kubeconfig-\(UUID().uuidString)"
        let process = try ChildProcess(
            ChildProcess.sibling("bridge-sim"), ["kube", "--port", "0", "--write-kubeconfig", kubeconfig])
        guard await process.waitForLine(containing: "kubeconfig written") != nil else {
            process.stop()
            throw BenchError("bridge-sim kube did not start: \(process.output)")
        }
        let connection = try KubeconfigLoader.load(paths: [kubeconfig])
        let admin = KubernetesClient(
            connection: connection, configuration: .init(qps: 0, userAgent: "bench-admin"),
            logger: Logger(label: "bench", factory: { _ in SwiftLogNoOpLogHandler() }))
        // Objects go to istio-system, which the simulator creates at start like a cluster with Istio.
        return KubernetesSimulatorProcess(
            process: process, kubeconfig: kubeconfig, connection: connection, admin: admin)
    }

    /// Writes to Istio objects recorded so far (the simulator's `/__sim/writes/count`: the log itself holds every
    /// write of the run, and parsing it here inflated the benchmark process's peak memory by some 200 MB).
    func istioWriteCount() async throws -> Int {
        let response = try await admin.send(.get, resource: nil, path: "/__sim/writes/count")
        let counts = try JSONValue.parse(response.body)["byResource"]
        return ["serviceentries", "workloadentries"].reduce(0) { $0 + Int(counts?[$1]?.intValue ?? 0) }
    }

    func stop() async {
        await admin.shutdown()
        process.stop()
        _ = await process.wait()
    }
}

/// A benchmark could not run.
struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
