import BridgeKernel
import IstioMapping

/// What the sink remembers about an object in the cluster: enough to decide whether it is the bridge's and
/// whether it still matches the desired content, without keeping whole documents in memory.
struct LiveObject: Sendable, Hashable {
    let reference: ObjectReference
    let uid: String
    /// The resourceVersion, as an integer when the server's is one (used to drop stale watch events).
    let resourceVersion: UInt64?
    /// Whether the bridge owns it (its managed-by label, or its content-hash annotation).
    let owned: Bool
    /// The content-hash annotation, if any.
    let contentHash: String?
    /// FNV-1a of the canonical JSON of `spec` (only computed for owned objects).
    let specHash: UInt64
    /// The labels.
    let labels: [String: String]

    /// Reads an object returned by the API; `nil` when it lacks a name.
    init?(_ object: JSONValue, kind: String) {
        let metadata = object["metadata"]
        guard let name = metadata?["name"]?.stringValue, let namespace = metadata?["namespace"]?.stringValue else {
            return nil
        }
        reference = ObjectReference(kind: kind, namespace: namespace, name: name)
        uid = metadata?["uid"]?.stringValue ?? ""
        resourceVersion = metadata?["resourceVersion"]?.stringValue.flatMap { UInt64($0) }
        labels = metadata?["labels"]?.objectValue?.compactMapValues(\.stringValue) ?? [:]
        contentHash = metadata?["annotations"]?[ContentHash.annotation]?.stringValue
        owned = labels[OwnershipLabels.managedByKey] == OwnershipLabels.managedByValue || contentHash != nil
        specHash = owned ? ContentHash.fnv1a((object["spec"] ?? .null).canonicalJSON) : 0
    }

    /// Whether the object holds exactly what `desired` asks for.
    func matches(_ desired: DesiredObject) -> Bool {
        guard owned, contentHash == desired.contentHash, specHash == desired.specHash else { return false }
        return desired.labels.allSatisfy { labels[$0.key] == $0.value }
    }
}
