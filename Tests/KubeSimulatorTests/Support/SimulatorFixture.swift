import BridgeKernel
import Foundation
import KubeSimulator
import Testing

/// One running simulator with its own temp directory, kubeconfig and kubectl discovery cache.
struct SimulatorFixture: Sendable {
    let simulator: KubeSimulator
    let port: Int
    let directory: String

    static func start(_ configuration: KubeSimulatorConfiguration = KubeSimulatorConfiguration()) async throws
        -> SimulatorFixture
    {
        let simulator = try KubeSimulator(configuration: configuration)
        let port = try await simulator.start()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "kubesim-\(UUID().uuidString)"
        ).path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        return SimulatorFixture(simulator: simulator, port: port, directory: directory)
    }

    func stop() async {
        await simulator.stop()
        try? FileManager.default.removeItem(atPath: directory)
    }

    var http: TestHTTPClient { TestHTTPClient(port: port) }

    /// Writes `text` to a file in the fixture directory and returns its path.
    func write(_ name: String, _ text: String) throws -> String {
        let path = (directory as NSString).appendingPathComponent(name)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Writes a kubeconfig and returns kubectl arguments that use it and a private discovery cache.
    func kubectlArguments(kubeconfig text: String? = nil, name: String = "kubeconfig") throws -> [String] {
        let path = try write(name, text ?? simulator.kubeconfig())
        return ["--kubeconfig", path, "--cache-dir", (directory as NSString).appendingPathComponent("cache-\(name)")]
    }

    /// Runs kubectl against the simulator.
    func kubectl(_ arguments: [String], kubeconfig: String? = nil, stdin: String? = nil) async throws -> CommandResult {
        try await run("kubectl", try kubectlArguments(kubeconfig: kubeconfig) + arguments, stdin: stdin)
    }

    /// Starts kubectl in the background.
    func kubectlInBackground(_ arguments: [String]) throws -> RunningProcess {
        try RunningProcess("kubectl", try kubectlArguments() + arguments)
    }

    /// Creates an object in-process and returns it.
    @discardableResult
    func seed(_ path: String, _ object: JSONValue) async throws -> JSONValue {
        let (code, body) = await simulator.perform("POST", path, body: object)
        try #require(code == 201, "seeding \(path) failed: \(code) \(body?.canonicalJSON ?? "")")
        return body ?? .null
    }
}

/// Test objects.
enum Objects {
    static func serviceEntry(
        _ name: String, namespace: String = "default", hosts: [String] = ["a.example.com"],
        labels: [String: String] = [:]
    ) -> JSONValue {
        var metadata: [String: JSONValue] = ["name": .string(name), "namespace": .string(namespace)]
        if !labels.isEmpty { metadata["labels"] = .object(labels.mapValues(JSONValue.string)) }
        return [
            "apiVersion": "networking.istio.io/v1", "kind": "ServiceEntry", "metadata": .object(metadata),
            "spec": [
                "hosts": .array(hosts.map(JSONValue.string)), "location": "MESH_INTERNAL", "resolution": "STATIC",
                "ports": [["name": "http", "number": 8080, "protocol": "HTTP"]],
            ],
        ]
    }

    static func lease(_ name: String, holder: String, renewTime: String = "2025-01-02T03:04:05.123456Z") -> JSONValue {
        [
            "apiVersion": "coordination.k8s.io/v1", "kind": "Lease", "metadata": ["name": .string(name)],
            "spec": [
                "holderIdentity": .string(holder), "leaseDurationSeconds": 15, "acquireTime": .string(renewTime),
                "renewTime": .string(renewTime), "leaseTransitions": 0,
            ],
        ]
    }

    static let sePath = "/apis/networking.istio.io/v1/namespaces/default/serviceentries"
    static let leasePath = "/apis/coordination.k8s.io/v1/namespaces/istio-system/leases"
}

extension JSONValue {
    /// The element at `index` of an array (`nil` for other values or out of range).
    subscript(_ index: Int) -> JSONValue? {
        guard let elements = arrayValue, elements.indices.contains(index) else { return nil }
        return elements[index]
    }

    /// `metadata.resourceVersion`.
    var resourceVersion: String { self["metadata"]?["resourceVersion"]?.stringValue ?? "" }
}
