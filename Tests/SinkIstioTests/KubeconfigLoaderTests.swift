import BridgeTransport
import Foundation
import KubernetesAPI
import Testing

@Suite struct KubeconfigLoaderTests {
    static let twoContexts = """
        apiVersion: v1
        kind: Config
        clusters:
        - name: prod
          cluster: {server: "https://prod.example:6443/", certificate-authority: certs/ca.pem}
        - name: lab
          cluster: {server: "https://lab.example:6443", insecure-skip-tls-verify: true}
        users:
        - name: ops
          user: {tokenFile: secrets/token}
        - name: dev
          user: {token: abc}
        contexts:
        - name: prod
          context: {cluster: prod, user: ops, namespace: mesh}
        - name: lab
          context: {cluster: lab, user: dev}
        current-context: prod
        """

    @Test func currentContextSelectsClusterUserAndNamespaceWithPathsRelativeToTheFile() throws {
        let connection = try KubeconfigLoader.parse(Self.twoContexts, directory: "/etc/bridge")
        #expect(connection.server == "https://prod.example:6443")
        #expect(connection.namespace == "mesh")
        #expect(connection.tls.trustRoots == .file(path: "/etc/bridge/certs/ca.pem"))
        #expect(connection.credentials == .tokenFile(path: "/etc/bridge/secrets/token"))
    }

    @Test func namedContextOverridesCurrentContextAndEmptyNamespaceMeansDefault() throws {
        let connection = try KubeconfigLoader.parse(Self.twoContexts, directory: "/etc", context: "lab")
        #expect(connection.server == "https://lab.example:6443")
        #expect(connection.namespace == "default")
        #expect(connection.tls.insecureSkipVerify)
        #expect(connection.credentials == .token("abc"))
        #expect(!connection.description.contains("abc"), "the token never appears in logs")
    }

    @Test func firstFileInTheKubeconfigListWinsForEachName() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kc-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let first = directory + "/a"
        let second = directory + "/b"
        try """
        clusters:
        - name: c
          cluster: {server: "https://first:1"}
        """.write(toFile: first, atomically: true, encoding: .utf8)
        try """
        clusters:
        - name: c
          cluster: {server: "https://second:2"}
        contexts:
        - name: x
          context: {cluster: c}
        current-context: x
        """.write(toFile: second, atomically: true, encoding: .utf8)

        let paths = KubeconfigLoader.defaultPaths(environment: ["KUBECONFIG": "\(first)::\(second)", "HOME": "/root"])
        #expect(paths == [first, second])
        let connection = try KubeconfigLoader.load(paths: paths + [directory + "/missing"])
        #expect(connection.server == "https://first:1")
        #expect(connection.credentials == .none)
        #expect(KubeconfigLoader.defaultPaths(environment: ["HOME": "/home/u"]) == ["/home/u/.kube/config"])
    }

    @Test(arguments: [
        ("current-context: nope\ncontexts: []", "context \"nope\" does not exist"),
        (
            "clusters:\n- name: c\n  cluster: {}\ncontexts:\n- name: x\n  context: {cluster: c}\ncurrent-context: x",
            "no server found for cluster \"c\""
        ),
        (
            "clusters:\n- name: c\n  cluster: {server: s, insecure-skip-tls-verify: true, certificate-authority: ca}\ncontexts:\n- name: x\n  context: {cluster: c}\ncurrent-context: x",
            "insecure flag is not allowed"
        ),
        (
            "clusters:\n- name: c\n  cluster: {server: s}\nusers:\n- name: u\n  user: {exec: {command: aws}}\ncontexts:\n- name: x\n  context: {cluster: c, user: u}\ncurrent-context: x",
            "credential plugin"
        ),
        (
            "clusters:\n- name: c\n  cluster: {server: s}\nusers:\n- name: u\n  user: {token: t, client-certificate: a, client-key: b}\ncontexts:\n- name: x\n  context: {cluster: c, user: u}\ncurrent-context: x",
            "more than one authentication method"
        ),
        (
            "clusters:\n- name: c\n  cluster: {server: s, certificate-authority-data: '%%%'}\ncontexts:\n- name: x\n  context: {cluster: c}\ncurrent-context: x",
            "not valid base64"
        ),
    ])
    func unusableKubeconfigsAreExplained(text: String, message: String) {
        #expect {
            _ = try KubeconfigLoader.parse(text, directory: "/tmp")
        } throws: { error in
            "\(error)".contains(message)
        }
    }

    @Test func missingFilesAreReportedWithTheirPaths() {
        #expect {
            _ = try KubeconfigLoader.load(paths: ["/nonexistent/kubeconfig"])
        } throws: { error in
            (error as? KubernetesConfigError)?.code == .notFound && "\(error)".contains("/nonexistent/kubeconfig")
        }
    }

    @Test func inClusterConfigurationReadsTheServiceAccount() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sa-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try "token".write(toFile: directory + "/token", atomically: true, encoding: .utf8)
        try "ca".write(toFile: directory + "/ca.crt", atomically: true, encoding: .utf8)
        try "mesh-system\n".write(toFile: directory + "/namespace", atomically: true, encoding: .utf8)
        let environment = ["KUBERNETES_SERVICE_HOST": "fd00::1", "KUBERNETES_SERVICE_PORT": "443"]

        let connection = try InClusterConfiguration.load(environment: environment, directory: directory)

        #expect(connection.server == "https://[fd00::1]:443")
        #expect(connection.namespace == "mesh-system")
        #expect(connection.credentials == .tokenFile(path: directory + "/token"))
        #expect(connection.tls.trustRoots == .file(path: directory + "/ca.crt"))
        #expect(!InClusterConfiguration.isAvailable(environment: [:]))
        #expect(throws: KubernetesConfigError.self) { _ = try InClusterConfiguration.load(environment: [:]) }
    }
}
