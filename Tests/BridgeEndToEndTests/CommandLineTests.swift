import Foundation
import Testing

/// The `bridge` binary as an operator uses it.
@Suite struct CommandLineTests {
    @Test func validateAcceptsAGoodConfig() throws {
        let directory = try temporaryDirectory("validate")
        let config = "\(directory)/bridge.yaml"
        try StaticConfigFixture.yaml(directory: "out").write(toFile: config, atomically: true, encoding: .utf8)
        let result = try Tools.run(Tools.bridge, ["validate", "--config", config])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("OK (1 sources, 1 transforms, 1 sinks)"))
    }

    @Test func validateReportsEveryProblemWithFileLineColumnAndKey() throws {
        let directory = try temporaryDirectory("validate")
        let config = "\(directory)/bad.yaml"
        try """
        sources:
          - type: static
            services:
              - name: orders
                instances:
                  - {id: a, endpoints: ["@@@@://x"], status: SLEEPING}
        debounce: {quiet: 1x}
        render: {mode: sideways, hosts: ["{service}.{team}"]}
        sinks:
          - type: file
            directroy: out
        """.write(toFile: config, atomically: true, encoding: .utf8)
        let result = try Tools.run(Tools.bridge, ["validate", "--config", config])
        #expect(result.status == 1)
        let lines = result.stderr.split(separator: "\n").map(String.init)
        let expected = [
            "\(config):6:33: sources[0].services[0].instances[0].endpoints[0]: endpoint \"@@@@://x\": invalid scheme",
            "\(config):6:54: sources[0].services[0].instances[0].status: \"SLEEPING\" is not one of: UP, DOWN, STARTING, TESTING, OUTOFSERVICE",
            "\(config):7:19: debounce.quiet: \"1x\" is not a duration",
            "\(config):8:16: render.mode: \"sideways\" is not one of: workloadentry, inline",
            "\(config):8:34: render.hosts[0]: unknown placeholder {team}",
            "\(config):10:5: sinks[0].directory: required key \"directory\" is missing",
            "\(config):11:5: sinks[0].directroy: unknown key \"directroy\" (did you mean \"directory\"?)",
        ]
        for prefix in expected {
            #expect(lines.contains { $0.hasPrefix(prefix) }, "missing: \(prefix)\n\(result.stderr)")
        }
        #expect(lines.last == "\(config): 7 problems found")
    }

    @Test func validateExplainsLiveSinkLeaderElectionAndOperationsProblems() throws {
        let directory = try temporaryDirectory("validate-live")
        let config = "\(directory)/live.yaml"
        try "apiVersion: v1\nkind: Config\nclusters: []\n".write(
            toFile: "\(directory)/empty-kubeconfig", atomically: true, encoding: .utf8)
        try """
        sources:
          - type: static
            services: [{name: orders}]
        sinks:
          - type: istio
            kubeconfig: missing-kubeconfig
            driftRepair: sometimes
          - type: istio
            name: second
            kubeconfig: empty-kubeconfig
        leaderElection:
          kubeconfig: empty-kubeconfig
          leaseDuration: 10s
          renewDeadline: 15s
        operations:
          address: nowhere
        """.write(toFile: config, atomically: true, encoding: .utf8)
        let result = try Tools.run(Tools.bridge, ["validate", "--config", config])
        #expect(result.status == 1)
        let lines = result.stderr.split(separator: "\n").map(String.init)
        let expected = [
            "\(config):6:17: sinks[0].kubeconfig: cannot connect to Kubernetes: \(directory)/missing-kubeconfig: no kubeconfig file exists here",
            "\(config):7:18: sinks[0].driftRepair: \"sometimes\" is not one of: watch, relist, off",
            "\(config):10:17: sinks[1].kubeconfig: cannot connect to Kubernetes: \(directory)/empty-kubeconfig: no current-context is set",
            "\(config):12:15: leaderElection.kubeconfig: cannot connect to Kubernetes",
            "\(config):16:12: operations.address: expected host:port",
        ]
        for prefix in expected {
            #expect(lines.contains { $0.hasPrefix(prefix) }, "missing: \(prefix)\n\(result.stderr)")
        }
    }

    @Test func deploymentConfigIsValidForThisBinary() throws {
        let directory = try temporaryDirectory("validate-deploy")
        let shipped = try String(
            contentsOfFile: "\(Tools.repositoryRoot)/deploy/kubernetes/bridge.yaml", encoding: .utf8)
        // Outside a pod there is no service account: point both connections at a kubeconfig instead.
        let config = "\(directory)/bridge.yaml"
        try shipped.replacingOccurrences(of: "inCluster: true", with: "kubeconfig: kubeconfig").write(
            toFile: config, atomically: true, encoding: .utf8)
        try """
        apiVersion: v1
        kind: Config
        clusters: [{name: c, cluster: {server: "https://127.0.0.1:6443"}}]
        users: [{name: u, user: {token: t}}]
        contexts: [{name: x, context: {cluster: c, user: u, namespace: meshbridge}}]
        current-context: x
        """.write(toFile: "\(directory)/kubeconfig", atomically: true, encoding: .utf8)
        #expect(shipped.components(separatedBy: "inCluster: true").count == 3)
        let result = try Tools.run(Tools.bridge, ["validate", "--config", config])
        #expect(result.status == 0, "\(result.stderr)")
    }

    @Test func missingConfigFileIsAClearError() throws {
        let result = try Tools.run(Tools.bridge, ["validate", "--config", "/nonexistent/bridge.yaml"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("/nonexistent/bridge.yaml: cannot read the configuration file"))
    }

    @Test func renderPrintsEveryObjectOnceAsYAML() throws {
        let directory = try temporaryDirectory("render")
        let config = "\(directory)/bridge.yaml"
        try StaticConfigFixture.yaml(directory: "out").write(toFile: config, atomically: true, encoding: .utf8)
        let result = try Tools.run(Tools.bridge, ["render", "--config", config])
        #expect(result.status == 0, "\(result.stderr)")
        let documents = result.stdout.components(separatedBy: "---\n").filter { !$0.isEmpty }
        // 4 ServiceEntries, 2 WorkloadEntries for orders (one instance is DOWN), 1 for payments, 1 for inventory.
        #expect(documents.filter { $0.contains("kind: ServiceEntry") }.count == 4)
        #expect(documents.filter { $0.contains("kind: WorkloadEntry") }.count == 4)
        #expect(!FileManager.default.fileExists(atPath: "\(directory)/out"), "render must not write the sinks")
    }
}
