import BridgeKernel
import Foundation
import IstioSchemaValidation
import Testing

/// `bridge --config` with a static source and the file sink, checked with the real `kubectl`.
@Suite struct GitOpsEndToEndTests {
    @Test func bridgeWritesManifestsThatKubectlKustomizeAcceptsAndStopsCleanlyOnSIGTERM() async throws {
        let directory = try temporaryDirectory("gitops")
        let output = "\(directory)/gitops"
        let config = "\(directory)/bridge.yaml"
        try StaticConfigFixture.yaml(directory: "gitops").write(toFile: config, atomically: true, encoding: .utf8)

        let bridge = try RunningBridge(arguments: ["--config", config])
        let line = await bridge.waitForLine(containing: "sink file: created")
        #expect(line?.contains("created 4") == true, "\(bridge.log.joined(separator: "\n"))")
        #expect(await bridge.terminate() == 0)
        #expect(bridge.log.contains { $0.contains("pipeline stopped") })

        let files = try FileManager.default.contentsOfDirectory(atPath: output).sorted()
        #expect(
            files == [
                "inventory.warehouse.yaml", "kustomization.yaml", "mysql.external.yaml", "orders.shop.production.yaml",
                "payment-service.shop-a0adfb82.yaml",
            ])

        let kustomize = try Tools.run("kubectl", ["kustomize", output])
        #expect(kustomize.status == 0, "\(kustomize.stderr)")
        let documents = kustomize.stdout.components(separatedBy: "\n---\n")
        #expect(documents.count == 8)
        #expect(kustomize.stdout.contains("namespace: mesh-registry"))
        try expectValidAgainstCRDs(kustomize.stdout)
        try await expectKubectlApplyKustomizationSucceeds(output, expectedServiceEntries: 4, expectedWorkloadEntries: 4)

        // A second run over the same directory changes nothing: the output is deterministic.
        let before = try files.map { try String(contentsOfFile: "\(output)/\($0)", encoding: .utf8) }
        let again = try RunningBridge(arguments: ["--config", config])
        let second = await again.waitForLine(containing: "sink file: created")
        #expect(second?.contains("created 0, updated 0, deleted 0, unchanged 4") == true, "\(again.log)")
        #expect(await again.terminate() == 0)
        let after = try files.map { try String(contentsOfFile: "\(output)/\($0)", encoding: .utf8) }
        #expect(before == after)
    }

    @Test func demoWritesManifestsAndExits() throws {
        let directory = try temporaryDirectory("demo")
        let result = try Tools.run(Tools.bridge, ["demo", "--output", "out"], directory: directory)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("demo finished"))
        // Register, status DOWN and deregister each reached the file sink as exactly one changed manifest.
        #expect(result.stdout.components(separatedBy: "sink file: created 0, updated 1, deleted 0").count - 1 == 3)
        #expect(result.stdout.contains("push #4: 3 services, 5 instances → 7 objects"))
        #expect(result.stdout.contains("wrote 4 files to out/"))
        let kustomize = try Tools.run("kubectl", ["kustomize", "\(directory)/out"])
        #expect(kustomize.status == 0, "\(kustomize.stderr)")
        try expectValidAgainstCRDs(kustomize.stdout)
    }

    @Test func renderedYAMLInInlineModeIsValidAgainstTheCRDs() throws {
        let directory = try temporaryDirectory("render-inline")
        let config = "\(directory)/bridge.yaml"
        try StaticConfigFixture.yaml(directory: "out", mode: "inline").write(
            toFile: config, atomically: true, encoding: .utf8)
        let result = try Tools.run(Tools.bridge, ["render", "--config", config])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(!result.stdout.contains("kind: WorkloadEntry"))
        try expectValidAgainstCRDs(result.stdout)
    }
}

/// Parses YAML as kubectl does and checks every Istio object against the real CRD schemas. Records a visible
/// skip note when the CRDs cannot be found.
func expectValidAgainstCRDs(_ yaml: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
    guard let schemas = try? IstioSchemas.load() else {
        print("SKIPPED CRD validation: Istio CRDs not found; set ISTIO_CRDS_DIR or check out next to shared/istio-crds")
        return
    }
    let documents = try KubernetesYAML.documents(yaml)
    #expect(!documents.isEmpty, sourceLocation: sourceLocation)
    for document in documents {
        let result = try schemas.validate(document)
        let name = document["metadata"]?["name"]?.stringValue ?? "?"
        #expect(result.isValid, "\(name): \(result.message ?? "")", sourceLocation: sourceLocation)
        #expect(result.unknownFields.isEmpty, "\(name): pruned \(result.unknownFields)", sourceLocation: sourceLocation)
    }
}

/// Applies the directory with the real `kubectl apply -k` to a `bridge-sim kube` API server (which validates
/// against the real CRDs, like kube-apiserver) and counts what the server then holds.
func expectKubectlApplyKustomizationSucceeds(
    _ directory: String, expectedServiceEntries: Int, expectedWorkloadEntries: Int,
    sourceLocation: SourceLocation = #_sourceLocation
) async throws {
    let kubeconfig = try temporaryDirectory("kubeconfig") + "/config"
    let server = try RunningBridge(
        arguments: ["kube", "--port", "0", "--write-kubeconfig", kubeconfig], executable: Tools.bridgeSim)
    defer { server.process.terminate() }
    #expect(await server.waitForLine(containing: "kubeconfig written") != nil, sourceLocation: sourceLocation)
    // Like a real cluster, the target namespace must exist first.
    let namespace = try Tools.run("kubectl", ["--kubeconfig", kubeconfig, "create", "namespace", "mesh-registry"])
    #expect(namespace.status == 0, "\(namespace.stderr)", sourceLocation: sourceLocation)
    let apply = try Tools.run("kubectl", ["--kubeconfig", kubeconfig, "apply", "-k", directory])
    #expect(apply.status == 0, "\(apply.stderr)", sourceLocation: sourceLocation)
    let entries = try Tools.run(
        "kubectl", ["--kubeconfig", kubeconfig, "get", "serviceentries,workloadentries", "-A", "-o", "name"])
    let names = entries.stdout.split(separator: "\n")
    #expect(
        names.filter { $0.hasPrefix("serviceentry") }.count == expectedServiceEntries, sourceLocation: sourceLocation)
    #expect(
        names.filter { $0.hasPrefix("workloadentry") }.count == expectedWorkloadEntries, sourceLocation: sourceLocation)
}
