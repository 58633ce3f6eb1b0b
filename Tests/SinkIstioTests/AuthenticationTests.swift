import BridgeKernel
import Foundation
import KubeSimulator
import KubernetesAPI
import SinkIstio
import Testing

/// The sink authenticates like kubectl: bearer token or client certificate over TLS, from a kubeconfig.
@Suite struct AuthenticationTests {
    static func tls(clientCA: Bool) -> KubeSimulatorConfiguration.TLS {
        KubeSimulatorConfiguration.TLS(
            certificatePath: TestPKIFiles.path("server.pem"), privateKeyPath: TestPKIFiles.path("server.key"),
            clientCAPath: clientCA ? TestPKIFiles.path("ca.pem") : nil)
    }

    @Test func bearerTokenFromAKubeconfigWorksOverTLS() async throws {
        let cluster = try await ClusterFixture.start(
            KubeSimulatorConfiguration(
                tls: Self.tls(clientCA: false), tokens: ["t0ken": KubeUser(name: "system:serviceaccount:mesh:bridge")],
                allowAnonymous: false))
        defer { Task { await cluster.stop() } }
        let kubeconfig = cluster.simulator.kubeconfig(
            token: "t0ken", certificateAuthorityPath: TestPKIFiles.path("ca.pem"), namespace: "istio-system")
        let connection = try KubeconfigLoader.load(paths: [try cluster.write("config", kubeconfig)])
        #expect(connection.server.hasPrefix("https://"))
        var registry = RegistryModel()

        let report = try await cluster.sink(connection: connection).apply(registry.snapshot([Services.make("cart")]))

        #expect(report.created == 3 && report.failures.isEmpty, "\(report)")
        #expect(Set(cluster.simulator.writeLog.all.map(\.user)) == ["system:serviceaccount:mesh:bridge"])
    }

    @Test func wrongTokenFailsThePushWithUnauthorizedAndWritesNothing() async throws {
        let cluster = try await ClusterFixture.start(
            KubeSimulatorConfiguration(
                tls: Self.tls(clientCA: false), tokens: ["t0ken": KubeUser(name: "bridge")], allowAnonymous: false))
        defer { Task { await cluster.stop() } }
        let tokenFile = try cluster.write("token", "wrong\n")
        var connection = ClusterConnection(
            server: "https://127.0.0.1:\(cluster.port)",
            tls: .init(trustRoots: .file(path: TestPKIFiles.path("ca.pem"))), credentials: .tokenFile(path: tokenFile))
        connection.namespace = "istio-system"
        var registry = RegistryModel()

        await #expect(throws: KubernetesAPIError.self) {
            _ = try await cluster.sink(connection: connection).apply(registry.snapshot([Services.make("cart")]))
        }
        #expect(cluster.simulator.writeLog.all.isEmpty)

        // The token file is re-read after a 401, so a rotated token works without a restart.
        _ = try cluster.write("token", "t0ken\n")
        let report = try await cluster.sink(connection: connection).apply(registry.snapshot([Services.make("cart")]))
        #expect(report.created == 3, "\(report)")
    }

    @Test func clientCertificateFromAKubeconfigWorksOverTLS() async throws {
        let cluster = try await ClusterFixture.start(
            KubeSimulatorConfiguration(tls: Self.tls(clientCA: true), allowAnonymous: false))
        defer { Task { await cluster.stop() } }
        // The certificate and key go in as base64 data, as `kind` and cloud kubeconfigs carry them.
        let certificate = try Data(contentsOf: URL(fileURLWithPath: TestPKIFiles.path("client.pem")))
        let key = try Data(contentsOf: URL(fileURLWithPath: TestPKIFiles.path("client.key")))
        let authority = try Data(contentsOf: URL(fileURLWithPath: TestPKIFiles.path("ca.pem")))
        let kubeconfig = """
            apiVersion: v1
            kind: Config
            clusters:
            - name: sim
              cluster:
                server: https://127.0.0.1:\(cluster.port)
                certificate-authority-data: \(authority.base64EncodedString())
            users:
            - name: cert
              user:
                client-certificate-data: \(certificate.base64EncodedString())
                client-key-data: \(key.base64EncodedString())
            contexts:
            - name: sim
              context: {cluster: sim, user: cert, namespace: istio-system}
            current-context: sim
            """
        let connection = try KubeconfigLoader.parse(kubeconfig, directory: cluster.directory)
        var registry = RegistryModel()

        let report = try await cluster.sink(connection: connection).apply(registry.snapshot([Services.make("cart")]))

        #expect(report.created == 3 && report.failures.isEmpty, "\(report)")
        #expect(Set(cluster.simulator.writeLog.all.map(\.user)) == ["meshbridge-test-client"])
    }
}
