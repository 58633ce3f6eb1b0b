import BridgeTransport
import Foundation

/// The connection a pod gets from its service account: `KUBERNETES_SERVICE_HOST`/`PORT`, the mounted token
/// (re-read so that kubelet's rotation works) and CA bundle, and the pod's namespace.
public enum InClusterConfiguration {
    /// Where kubelet mounts the service-account files.
    public static let defaultDirectory = "/var/run/secrets/kubernetes.io/serviceaccount"

    /// Whether the environment looks like a pod's.
    public static func isAvailable(environment: [String: String]) -> Bool {
        !(environment["KUBERNETES_SERVICE_HOST"] ?? "").isEmpty
            && !(environment["KUBERNETES_SERVICE_PORT"] ?? "").isEmpty
    }

    /// The in-cluster connection.
    ///
    /// - Parameter directory: The service-account directory (overridable for tests).
    public static func load(environment: [String: String], directory: String = defaultDirectory)
        throws(KubernetesConfigError) -> ClusterConnection
    {
        guard let host = environment["KUBERNETES_SERVICE_HOST"], !host.isEmpty,
            let port = environment["KUBERNETES_SERVICE_PORT"], !port.isEmpty
        else {
            throw KubernetesConfigError(
                .notFound, source: "in-cluster",
                detail: "not running in a cluster: KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must be set")
        }
        let tokenPath = directory + "/token"
        guard FileManager.default.isReadableFile(atPath: tokenPath) else {
            throw KubernetesConfigError(
                .unreadable, source: "in-cluster",
                detail: "the service-account token \(tokenPath) is missing; is automountServiceAccountToken disabled?")
        }
        let namespace: String
        if let fromEnvironment = environment["POD_NAMESPACE"], !fromEnvironment.isEmpty {
            namespace = fromEnvironment
        } else if let fromFile = try? String(contentsOfFile: directory + "/namespace", encoding: .utf8),
            !fromFile.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
        {
            namespace = fromFile.trimmingCharacters(in: .whitespacesAndNewlines)
        } else {
            namespace = "default"
        }
        let hostPart = host.contains(":") ? "[\(host)]" : host
        let caPath = directory + "/ca.crt"
        let tls = TLSConfiguration(
            trustRoots: FileManager.default.fileExists(atPath: caPath) ? .file(path: caPath) : nil)
        return ClusterConnection(
            server: "https://\(hostPart):\(port)", tls: tls, credentials: .tokenFile(path: tokenPath),
            namespace: namespace, origin: "in-cluster service account")
    }
}
