import BridgeKernel
import Foundation

extension ClusterConnection {
    /// The config keys that select a cluster connection (shared by the `istio` sink and `leaderElection`).
    public static let configKeys: Set<String> = ["kubeconfig", "context", "inCluster"]

    /// Resolves the connection a config section asks for, recording problems at their position.
    ///
    /// Without `kubeconfig`, the connection comes from `$KUBECONFIG` or `~/.kube/config` when such a file exists,
    /// and otherwise from the pod's service account. `inCluster: true` forces the service account.
    public static func decode(
        _ config: ConfigMapping, context: PluginContext,
        serviceAccountDirectory: String = InClusterConfiguration.defaultDirectory
    ) -> ClusterConnection? {
        var ok = true
        let kubeconfig = config["kubeconfig"].flatMap { node -> String? in
            let value = node.nonEmptyString()
            if value == nil { ok = false }
            return value
        }
        let contextName = config["context"].flatMap { node -> String? in
            let value = node.nonEmptyString()
            if value == nil { ok = false }
            return value
        }
        var inCluster = false
        if let node = config["inCluster"] {
            if let value = node.bool() { inCluster = value } else { ok = false }
        }
        if inCluster, kubeconfig != nil {
            config["inCluster"]?.fail(.invalidValue, "`inCluster: true` and `kubeconfig` exclude each other; keep one")
            ok = false
        }
        guard ok else { return nil }
        do throws(KubernetesConfigError) {
            if inCluster {
                return try InClusterConfiguration.load(
                    environment: context.environment, directory: serviceAccountDirectory)
            }
            if let kubeconfig {
                return try KubeconfigLoader.load(paths: [context.resolvePath(kubeconfig)], context: contextName)
            }
            let paths = KubeconfigLoader.defaultPaths(environment: context.environment)
            if paths.contains(where: { FileManager.default.fileExists(atPath: $0) })
                || !InClusterConfiguration.isAvailable(environment: context.environment)
            {
                return try KubeconfigLoader.load(paths: paths, context: contextName)
            }
            return try InClusterConfiguration.load(environment: context.environment, directory: serviceAccountDirectory)
        } catch {
            (config["kubeconfig"] ?? config["inCluster"] ?? config.owner).fail(
                .invalidValue, "cannot connect to Kubernetes: \(error)")
            return nil
        }
    }
}
