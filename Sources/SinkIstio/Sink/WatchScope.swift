import KubernetesAPI

/// One resource type in one namespace: the unit the sink lists and watches.
struct WatchScope: Sendable, Hashable, CustomStringConvertible {
    let resource: APIResource
    let namespace: String

    var description: String { "\(resource.plural) in \(namespace)" }
}
