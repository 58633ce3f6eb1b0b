/// The built-in Kubernetes types served for deployment manifests (`kubectl apply -k deploy/kubernetes`): stored
/// and validated, never acted on (no controller creates ReplicaSets or service-account tokens).
enum BuiltinKind: Sendable, Hashable {
    /// Core `v1` ServiceAccount.
    case serviceAccount
    /// Core `v1` ConfigMap.
    case configMap
    /// `apps/v1` Deployment (with the `status` subresource).
    case deployment
    /// `rbac.authorization.k8s.io/v1` Role.
    case role
    /// `rbac.authorization.k8s.io/v1` RoleBinding.
    case roleBinding

    /// The Go struct name used in decoding errors (`ConfigMap`).
    var goType: String {
        switch self {
        case .serviceAccount: return "ServiceAccount"
        case .configMap: return "ConfigMap"
        case .deployment: return "Deployment"
        case .role: return "Role"
        case .roleBinding: return "RoleBinding"
        }
    }

    /// The top-level JSON fields of the Go type; anything else is an unknown field.
    var topLevelFields: Set<String> {
        let common: Set<String> = ["apiVersion", "kind", "metadata"]
        switch self {
        case .serviceAccount: return common.union(["secrets", "imagePullSecrets", "automountServiceAccountToken"])
        case .configMap: return common.union(["data", "binaryData", "immutable"])
        case .deployment: return common.union(["spec", "status"])
        case .role: return common.union(["rules"])
        case .roleBinding: return common.union(["subjects", "roleRef"])
        }
    }
}
