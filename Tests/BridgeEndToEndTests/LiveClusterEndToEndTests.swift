import BridgeKernel
import Foundation
import IstioSchemaValidation
import Testing

/// `bridge --config` with the file sink and the live `istio` sink side by side, against `bridge-sim kube`.
@Suite struct LiveClusterEndToEndTests {
    @Test func fileAndLiveSinksFromOneConfigProduceTheSameObjects() async throws {
        let directory = try temporaryDirectory("live")
        let kubeconfig = "\(directory)/kubeconfig"
        let server = try RunningBridge(
            arguments: ["kube", "--port", "0", "--write-kubeconfig", kubeconfig], executable: Tools.bridgeSim)
        defer { server.process.terminate() }
        #expect(await server.waitForLine(containing: "kubeconfig written") != nil)
        let namespace = try Tools.run("kubectl", ["--kubeconfig", kubeconfig, "create", "namespace", "mesh-registry"])
        try #require(namespace.status == 0, "\(namespace.stderr)")
        let config = "\(directory)/bridge.yaml"
        try StaticConfigFixture.yaml(
            directory: "gitops",
            extraSinks: """
                  - type: istio
                    name: cluster
                    kubeconfig: kubeconfig
                """
        ).write(toFile: config, atomically: true, encoding: .utf8)

        // A dry run plans every object and writes none.
        let dryRun = try RunningBridge(arguments: ["--config", config, "--dry-run"])
        let plan = await dryRun.waitForLine(containing: "sink cluster: dry run")
        #expect(plan?.contains("would have: created 8") == true, "\(dryRun.log.joined(separator: "\n"))")
        #expect(
            dryRun.log.contains {
                $0.contains("dry run: would create ServiceEntry mesh-registry/orders.shop.production")
            })
        #expect(dryRun.log.contains { $0.contains("sink file-0: dry run, would have: created 4, updated 0") })
        #expect(await dryRun.terminate() == 0)
        #expect(!FileManager.default.fileExists(atPath: "\(directory)/gitops"), "the dry run wrote no files")
        let none = try Tools.run("kubectl", ["--kubeconfig", kubeconfig, "get", "se,we", "-A", "-o", "name"])
        #expect(none.stdout.isEmpty, "\(none.stdout)")

        let bridge = try RunningBridge(arguments: ["--config", config])
        let line = await bridge.waitForLine(containing: "sink cluster: created")
        #expect(line?.contains("created 8, updated 0, deleted 0") == true, "\(bridge.log.joined(separator: "\n"))")
        #expect(await bridge.terminate() == 0)

        // The live objects equal the GitOps manifests, apart from the live sink's content fingerprint annotation.
        let listed = try Tools.run(
            "kubectl", ["--kubeconfig", kubeconfig, "get", "se,we", "-n", "mesh-registry", "-o", "json"])
        try #require(listed.status == 0, "\(listed.stderr)")
        let live = try JSONValue.parse(listed.stdout)["items"]?.arrayValue ?? []
        let kustomize = try Tools.run("kubectl", ["kustomize", "\(directory)/gitops"])
        let files = try KubernetesYAML.documents(kustomize.stdout)
        #expect(live.count == 8 && files.count == 8)
        func key(_ object: JSONValue) -> String {
            "\(object["kind"]?.stringValue ?? "")/\(object["metadata"]?["name"]?.stringValue ?? "")"
        }
        let fileObjects = Dictionary(uniqueKeysWithValues: files.map { (key($0), $0) })
        for object in live {
            let file = fileObjects[key(object)]
            #expect(file != nil, "\(key(object)) is live but not in the GitOps output")
            #expect(object["spec"] == file?["spec"], "\(key(object))")
            #expect(object["metadata"]?["labels"] == file?["metadata"]?["labels"], "\(key(object))")
            var annotations = object["metadata"]?["annotations"]?.objectValue ?? [:]
            #expect(annotations.removeValue(forKey: "meshbridge.io/content-hash") != nil)
            #expect(annotations == (file?["metadata"]?["annotations"]?.objectValue ?? [:]), "\(key(object))")
        }

        // A restart against the converged cluster writes nothing.
        let again = try RunningBridge(arguments: ["--config", config])
        let second = await again.waitForLine(containing: "sink cluster: created")
        #expect(second?.contains("created 0, updated 0, deleted 0, unchanged 8") == true, "\(again.log)")
        #expect(await again.terminate() == 0)
    }
}
