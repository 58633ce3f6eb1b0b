import KubernetesAPI

/// What the sink decided for one object.
enum PlannedChange: Sendable {
    /// Create the object (it does not exist).
    case create(DesiredObject)
    /// Apply the desired content over an owned object that differs.
    case update(DesiredObject, reason: String)
    /// Delete an owned object that is no longer desired.
    case delete(LiveObject, resource: DesiredResource)
    /// Leave alone: an object with this name exists and is not the bridge's.
    case clash(DesiredObject, owner: String)
    /// Nothing to do.
    case unchanged(ObjectReference)
    /// An owned object is no longer desired, but pruning is held back (a source is not synced or healthy).
    case pruneHeld(ObjectReference)

    /// Whether carrying it out writes to the API server.
    var isWrite: Bool {
        switch self {
        case .create, .update, .delete: true
        case .clash, .unchanged, .pruneHeld: false
        }
    }

    /// The object it concerns.
    var reference: ObjectReference {
        switch self {
        case .create(let object), .update(let object, _), .clash(let object, _): object.reference
        case .delete(let live, _): live.reference
        case .unchanged(let reference), .pruneHeld(let reference): reference
        }
    }

    /// A line for logs and the dry-run plan.
    var summary: String {
        switch self {
        case .create(let object): "create \(object.reference)"
        case .update(let object, let reason): "update \(object.reference) (\(reason))"
        case .delete(let live, _): "delete \(live.reference) (no longer in the registry)"
        case .clash(let object, let owner): "skip \(object.reference): \(owner)"
        case .unchanged(let reference): "keep \(reference)"
        case .pruneHeld(let reference): "keep \(reference) (pruning held back until every source is synced and healthy)"
        }
    }
}

/// The API resource to address for a delete (live objects do not carry their API version).
typealias DesiredResource = APIResource
