import BridgeKernel
import Foundation
import Testing

/// `/healthz`, `/readyz` and `/metrics` of a running `bridge`, scraped through a sync.
@Suite struct OperationsEndToEndTests {
    /// GETs a URL; returns the status code and body.
    func get(_ url: String) throws -> (code: Int, body: String) {
        let result = try Tools.run("curl", ["-s", "-w", "\n%{http_code}", url])
        var lines = result.stdout.components(separatedBy: "\n")
        let code = Int(lines.popLast() ?? "") ?? 0
        return (code, lines.joined(separator: "\n"))
    }

    /// The port from `operations endpoints listening on HOST:PORT`.
    func port(in line: String?) throws -> Int {
        let address = try #require(line?.components(separatedBy: "listening on ").last?.split(separator: " ").first)
        return try #require(Int(address.split(separator: ":").last ?? ""))
    }

    @Test func endpointsReportHealthReadinessAndMetricsThroughASync() async throws {
        let directory = try temporaryDirectory("operations")
        let kubeconfig = "\(directory)/kubeconfig"
        let server = try RunningBridge(
            arguments: ["kube", "--port", "0", "--write-kubeconfig", kubeconfig], executable: Tools.bridgeSim)
        defer { server.process.terminate() }
        _ = await server.waitForLine(containing: "kubeconfig written")
        _ = try Tools.run("kubectl", ["--kubeconfig", kubeconfig, "create", "namespace", "mesh-registry"])
        let config = "\(directory)/bridge.yaml"
        try StaticConfigFixture.yaml(
            directory: "gitops",
            extraSinks: """
                  - type: istio
                    name: cluster
                    kubeconfig: kubeconfig
                operations:
                  address: 127.0.0.1:0
                """
        ).write(toFile: config, atomically: true, encoding: .utf8)

        let bridge = try RunningBridge(arguments: ["--config", config])
        let port = try port(in: await bridge.waitForLine(containing: "operations endpoints listening on"))
        _ = await bridge.waitForLine(containing: "sink cluster: created")
        let base = "http://127.0.0.1:\(port)"

        #expect(try get("\(base)/healthz") == (200, "ok\n"))
        let ready = try get("\(base)/readyz")
        #expect(ready.code == 200 && ready.body.hasPrefix("ready (leader); registry: synced, healthy"), "\(ready)")
        let metrics = try get("\(base)/metrics")
        #expect(metrics.code == 200)
        for line in [
            #"meshbridge_sink_writes_total{sink="cluster",operation="created"} 8"#,
            #"meshbridge_sink_writes_total{sink="file-0",operation="created"} 4"#,
            #"meshbridge_desired_objects 8.0"#,
            #"meshbridge_registry_services 4.0"#,
            #"meshbridge_source_synced{source="registry"} 1.0"#,
            #"meshbridge_source_healthy{source="registry"} 1.0"#,
            #"meshbridge_leader 1.0"#,
        ] {
            #expect(metrics.body.contains(line), "missing \(line) in:\n\(metrics.body)")
        }
        #expect(
            metrics.body.contains(
                #"meshbridge_kubernetes_requests_total{client="sink/cluster",method="PATCH",resource="serviceentries",code="201"} 4"#
            ), "\(metrics.body)")
        #expect(metrics.body.contains("meshbridge_push_latency_seconds_count 1"), "\(metrics.body)")
        #expect(metrics.body.contains(#"meshbridge_source_updates_total{source="registry"}"#))
        #expect(await bridge.terminate() == 0)
    }

    @Test func readinessWaitsForTheFirstFullListingWhileHealthIsAlreadyOK() async throws {
        let directory = try temporaryDirectory("operations-unready")
        let config = "\(directory)/bridge.yaml"
        try """
        sources:
          - type: servicecenter
            name: sc
            addresses: ["http://127.0.0.1:1"]
        sinks:
          - type: file
            directory: out
        operations:
          address: 127.0.0.1:0
        """.write(toFile: config, atomically: true, encoding: .utf8)

        let bridge = try RunningBridge(arguments: ["--config", config])
        let port = try port(in: await bridge.waitForLine(containing: "operations endpoints listening on"))
        let base = "http://127.0.0.1:\(port)"

        #expect(try get("\(base)/healthz").code == 200)
        let ready = try get("\(base)/readyz")
        #expect(ready.code == 503, "\(ready)")
        #expect(ready.body.contains("waiting for the first full listing of every source"), "\(ready)")
        #expect(await bridge.terminate() == 0)
    }
}
