import BridgeKernel
import Crypto
import Foundation
import IstioSchemaValidation

/// One resource type the simulator serves (`serviceentries.networking.istio.io`, `leases.coordination.k8s.io`,
/// `namespaces`), with everything discovery, routing, validation and printing need.
struct ServedResource: Sendable {
    /// How objects of the type are validated and prepared.
    enum Flavor: Sendable {
        /// A custom resource validated by its CRD.
        case custom(CustomResourceDefinition)
        /// `coordination.k8s.io/v1` Lease.
        case lease
        /// Core `v1` Namespace.
        case namespace
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

    /// Custom resources carry `metadata.generation`; the built-in types served here do not.
    var tracksGeneration: Bool {
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
