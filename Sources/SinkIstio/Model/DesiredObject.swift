import BridgeKernel
import IstioMapping
import KubernetesAPI

/// A rendered object prepared for the API server: its resource, the server-side-apply body and the fingerprints
/// the planner compares with the cluster.
struct DesiredObject: Sendable {
    let reference: ObjectReference
    let resource: APIResource
    let manifest: ManifestObject
    /// The ``ContentHash`` of the rendered document (also written as an annotation).
    let contentHash: String
    /// FNV-1a of the canonical JSON of `spec`.
    let specHash: UInt64
    /// The labels the object must carry. Read from the document when planning needs them rather than stored: a
    /// copy per object cost some 20 MB at 100 000 objects.
    var labels: [String: String] { manifest.labels }

    /// Prepares `manifest`; `nil` when its kind is not one the sink writes.
    init?(_ manifest: ManifestObject) {
        guard let resource = APIResource.forObject(apiVersion: manifest.apiVersion, kind: manifest.kind) else {
            return nil
        }
        self.reference = ObjectReference(kind: manifest.kind, namespace: manifest.namespace, name: manifest.name)
        self.resource = resource
        self.manifest = manifest
        self.contentHash = ContentHash.of(manifest.document)
        self.specHash = ContentHash.fnv1a((manifest.document["spec"] ?? .null).canonicalJSON)
    }

    /// The server-side-apply body: the rendered document plus the content-hash annotation.
    var applyBody: [UInt8] {
        var document = manifest.document
        var metadata = document["metadata"]?.objectValue ?? [:]
        var annotations = metadata["annotations"]?.objectValue ?? [:]
        annotations[ContentHash.annotation] = .string(contentHash)
        metadata["annotations"] = .object(annotations)
        document["metadata"] = .object(metadata)
        return Array(document.canonicalJSON.utf8)
    }
}
