import ArgumentParser
import BridgeKernel
import Foundation
import Logging

/// `bridge demo`: runs the bridge on an embedded configuration with no cluster, registry or config file needed,
/// writes GitOps manifests, and prints what it wrote.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run the bridge on an embedded example and write GitOps manifests to a directory.")

    @Option(help: "Where to write the manifests.")
    var output = "bridge-demo-output"

    func run() async throws {
        let yaml = DemoConfiguration.yaml(outputDirectory: output)
        let configuration: BridgeConfiguration
        do {
            configuration = try ConfigLoader.load(
                yaml: yaml, file: "<embedded demo config>", logger: Logger(label: "meshbridge"))
        } catch ExitCodeError.configuration {
            throw ExitCode(1)
        }
        LoggingSetup.bootstrap(configuration.log)
        print("MeshBridge demo: rendering the embedded registry into \(output)/")
        let pipeline = Pipeline(
            sources: configuration.sources, transforms: configuration.transforms, renderer: configuration.renderer,
            sinks: configuration.sinks, debounce: configuration.debounce, clock: ContinuousClock(),
            logger: Logger(label: "meshbridge"))
        pipeline.observe { event in
            switch event {
            case .push(let summary, _):
                print(
                    "push #\(summary.revision): \(summary.services) services, \(summary.instances) instances → \(summary.objects) objects"
                )
            case .sinkApplied(let sink, _, let report):
                print("sink \(sink): \(report)")
                pipeline.shutdown()
            case .sinkFailed(let sink, _, let error):
                print("sink \(sink) failed: \(error)")
                pipeline.shutdown()
            }
        }
        try await pipeline.run()
        let files =
            (try? FileManager.default.contentsOfDirectory(atPath: output).filter { $0.hasSuffix(".yaml") }.sorted())
            ?? []
        print("wrote \(files.count) files to \(output)/:")
        for file in files { print("  \(file)") }
        print("try: kubectl kustomize \(output)")
    }
}

/// The embedded demo configuration.
enum DemoConfiguration {
    static func yaml(outputDirectory: String) -> String {
        """
        sources:
          - type: static
            name: demo
            services:
              - name: orders
                app: shop
                environment: production
                instances:
                  - {id: orders-1, hostName: orders-host-1, version: 1.0.0, endpoints: ["rest://10.0.0.11:8080"]}
                  - {id: orders-2, hostName: orders-host-2, version: 1.1.0, endpoints: ["rest://10.0.0.12:8080", "rest://10.0.0.12:8443?sslEnabled=true"]}
                  - {id: orders-3, hostName: orders-host-3, version: 1.1.0, endpoints: ["rest://10.0.0.13:8080"], status: DOWN}
              - name: Payment_Service
                app: shop
                instances:
                  - {id: pay-1, hostName: pay-host-1, endpoints: ["grpc://10.0.1.5:9090", "highway://10.0.1.5:7070"]}
              - name: mysql
                app: external
                location: MESH_EXTERNAL
                resolution: DNS
                hosts: [mysql.example.com]
                ports: [{number: 3306, protocol: TCP}]
        debounce: {quiet: 100ms, maxDelay: 1s}
        sinks:
          - type: file
            directory: \(outputDirectory)
        log: {level: warning}
        """
    }
}
