import BridgeKernel
import Crypto
import Foundation
import IstioSchemaValidation

/// One resource type the simulator serves (`serviceentries.networking.istio.io`, `leases.coordination.k8s.io`,
/// `namespaces`, `deployments.apps`, ...), with everything discovery, routing, validation and printing need.
struct ServedResource: Sendable {
    /// How objects of the type are validated and prepared.
    enum Flavor: Sendable {
        /// A custom resource validated by its CRD.
        case custom(CustomResourceDefinition)
        /// `coordination.k8s.io/v1` Lease.
        case lease
        /// Core `v1` Namespace.
        case namespace
        /// A built-in type stored generically (no controller acts on it), checked by ``BuiltinValidation``.
        case builtin(BuiltinKind)
    }

    /// How `metadata.generation` is maintained.
    enum GenerationPolicy: Sendable {
        /// The type has no generation (ConfigMaps, ServiceAccounts, RBAC objects, Leases, Namespaces).
        case none
        /// 1 on create, +1 when anything outside `metadata` (and a separately served `status`) changes
        /// (custom resources).
        case spec
        /// As ``spec``, and also when the annotations change (Deployments: their annotations are copied to
        /// ReplicaSets, so the apps strategy counts them as a template change).
        case specAndAnnotations
    }

    /// API group (`""` for the core group).
    let group: String
    /// Served versions, preferred first.
    let versions: [String]
    /// The version objects are stored in.
    let storageVersion: String
    /// URL name (`serviceentries`).
    let plural: String
    /// `serviceentry`.
    let singular: String
    /// `ServiceEntry`.
    let kind: String
    /// `ServiceEntryList`.
    let listKind: String
    /// Whether objects live in namespaces.
    let namespaced: Bool
    /// `se`.
    let shortNames: [String]
    /// `istio-io`, ...
    let categories: [String]
    /// Verbs in discovery order.
    let verbs: [String]
    /// Subresources (`status`).
    let subresources: [String]
    /// How objects are validated.
    let flavor: Flavor
    /// Printer columns after `Name`.
    let columns: [TableColumn]
    /// The merge schema (list and map types) for server-side apply, per object.
    let mergeSchema: MergeSchema

    /// `serviceentries.networking.istio.io`, or `namespaces` for the core group.
    var qualifiedResource: String { group.isEmpty ? plural : plural + "." + group }

    /// `networking.istio.io/v1`, or `v1`.
    func apiVersion(_ version: String) -> String { group.isEmpty ? version : group + "/" + version }

    /// Whether the status subresource is enabled (status is then ignored on the main resource).
    var hasStatusSubresource: Bool { subresources.contains("status") }

    /// Custom resources and Deployments carry `metadata.generation`; the other built-in types served here do not.
    var generationPolicy: GenerationPolicy {
        switch flavor {
        case .custom: return .spec
        case .builtin(.deployment): return .specAndAnnotations
        case .builtin, .lease, .namespace: return .none
        }
    }

    /// Whether objects carry `metadata.generation`.
    var tracksGeneration: Bool { generationPolicy != .none }

    /// Whether objects are Go unstructured maps on the real server (custom resources), written with sorted keys.
    var isUnstructured: Bool {
        if case .custom = flavor { return true }
        return false
    }

    /// Whether `PUT` on a missing object creates it (`AllowCreateOnUpdate`).
    var allowsCreateOnUpdate: Bool {
        if case .lease = flavor { return true }
        return false
    }

    /// Whether strategic merge patch is accepted (built-in types only).
    var acceptsStrategicMergePatch: Bool {
        if case .custom = flavor { return false }
        return true
    }

    /// `storageVersionHash`: base64 of the first 8 bytes of sha256("group/version/Kind").
    var storageVersionHash: String {
        let digest = SHA256.hash(data: Data("\(group)/\(storageVersion)/\(kind)".utf8))
        return Data(Array(digest).prefix(8)).base64EncodedString()
    }

    /// Fields the store accepts in `fieldSelector` besides `metadata.name`/`metadata.namespace`.
    var extraSelectableFields: [String] {
        if case .namespace = flavor { return ["status.phase"] }
        return []
    }
}
