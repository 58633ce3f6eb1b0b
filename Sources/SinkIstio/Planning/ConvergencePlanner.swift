import IstioMapping
import KubernetesAPI

/// Decides, object by object, what makes the cluster match the desired state. Pure: the sink feeds it what it
/// knows (desired objects, the live view from list/watch, whether pruning is allowed) and carries out the result.
enum ConvergencePlanner {
    /// The change for one object.
    ///
    /// - Parameters:
    ///   - desired: The object as rendered, or `nil` when it is not desired.
    ///   - live: The object in the cluster, or `nil` when it does not exist.
    ///   - resource: The resource a delete addresses.
    ///   - pruneAllowed: Whether owned objects that are not desired may be deleted.
    static func change(
        desired: DesiredObject?, live: LiveObject?, resource: APIResource, pruneAllowed: Bool
    ) -> PlannedChange? {
        switch (desired, live) {
        case (nil, nil):
            return nil
        case (nil, let live?):
            guard live.owned else { return nil }
            return pruneAllowed ? .delete(live, resource: resource) : .pruneHeld(live.reference)
        case (let desired?, nil):
            return .create(desired)
        case (let desired?, let live?):
            guard live.owned else {
                return .clash(
                    desired,
                    owner:
                        "an object with this name exists and is not managed by MeshBridge (no \(OwnershipLabels.managedByKey)=\(OwnershipLabels.managedByValue) label); it is left alone"
                )
            }
            if live.matches(desired) { return .unchanged(desired.reference) }
            if live.contentHash != desired.contentHash { return .update(desired, reason: "content changed") }
            return .update(desired, reason: "edited in the cluster; restoring")
        }
    }
}
