import Foundation
import Testing

/// The `bridge-sim kube` executable as a user runs it.
@Suite("bridge-sim kube")
struct BridgeSimCommandTests {
    /// The `bridge-sim` binary next to the test bundle.
    static var binary: String {
        let here = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for candidate in [
            here, here.deletingLastPathComponent(), here.deletingLastPathComponent().deletingLastPathComponent(),
        ] {
            let path = candidate.appendingPathComponent("bridge-sim").path
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return here.appendingPathComponent("bridge-sim").path
    }

    @Test func kubeCommandPrintsItsURLAndWritesAWorkingKubeconfig() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("bridge-sim-\(UUID().uuidString)")
            .path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let kubeconfig = (directory as NSString).appendingPathComponent("kubeconfig")
        let server = try RunningProcess(
            Self.binary, ["kube", "--port", "0", "--write-kubeconfig", kubeconfig])
        defer { server.terminate() }
        #expect(await server.waitForOutput { $0.contains("kubeconfig written to") }, "\(server.stderr)")
        let url = server.stdout.split(separator: "\n").first.map(String.init) ?? ""
        #expect(url.hasPrefix("http://127.0.0.1:"))

        let result = try await run(
            "kubectl",
            ["--kubeconfig", kubeconfig, "--cache-dir", directory + "/cache", "get", "namespaces", "-o", "name"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("namespace/istio-system"))

        server.terminate()
        let finished = await server.wait()
        #expect(finished.status == 0)
    }
}
