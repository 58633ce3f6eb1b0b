/// A request path resolved against the catalog.
enum Route {
    case version
    case legacyAPI
    case legacyAPIVersion(String)
    case apis
    case apiGroup(String)
    case groupVersion(group: String, version: String)
    case openAPIV2
    case openAPIV3Root
    case openAPIV3(String)
    case health
    case resource(ResourceRoute)

    /// Resolves `path`; `nil` means no handler serves it (plain-text 404).
    static func resolve(_ segments: [String], catalog: ResourceCatalog) -> Route? {
        switch segments.first {
        case "version" where segments.count == 1: return .version
        case "healthz", "livez", "readyz": return .health
        case "openapi":
            if segments == ["openapi", "v2"] { return .openAPIV2 }
            if segments == ["openapi", "v3"] { return .openAPIV3Root }
            if segments.count > 2, segments[1] == "v3" {
                return .openAPIV3(segments.dropFirst(2).joined(separator: "/"))
            }
            return nil
        case "api":
            if segments.count == 1 { return .legacyAPI }
            guard segments[1] == "v1" else { return nil }
            if segments.count == 2 { return .legacyAPIVersion("v1") }
            return ResourceRoute.resolve(group: "", version: "v1", Array(segments.dropFirst(2)), catalog: catalog)
                .map(Route.resource)
        case "apis":
            if segments.count == 1 { return .apis }
            let group = segments[1]
            guard catalog.groups.contains(group) else { return nil }
            if segments.count == 2 { return .apiGroup(group) }
            let version = segments[2]
            guard catalog.versions(ofGroup: group).contains(version) else { return nil }
            if segments.count == 3 { return .groupVersion(group: group, version: version) }
            return ResourceRoute.resolve(group: group, version: version, Array(segments.dropFirst(3)), catalog: catalog)
                .map(Route.resource)
        default:
            return nil
        }
    }
}

/// A resource path: type, version, namespace, name and subresource.
struct ResourceRoute: Sendable {
    let resource: ServedResource
    let version: String
    /// The namespace in the URL, `nil` for cluster-wide or cluster-scoped paths.
    let namespace: String?
    let name: String?
    let subresource: String?

    static func resolve(group: String, version: String, _ rest: [String], catalog: ResourceCatalog) -> ResourceRoute? {
        guard !rest.isEmpty else { return nil }
        if rest[0] == "namespaces", rest.count >= 3,
            let resource = catalog.resource(group: group, version: version, plural: rest[2]), resource.namespaced
        {
            guard rest.count <= 5 else { return nil }
            let subresource = rest.count == 5 ? rest[4] : nil
            if let subresource, !resource.subresources.contains(subresource) { return nil }
            return ResourceRoute(
                resource: resource, version: version, namespace: rest[1], name: rest.count >= 4 ? rest[3] : nil,
                subresource: subresource)
        }
        guard let resource = catalog.resource(group: group, version: version, plural: rest[0]) else { return nil }
        if resource.namespaced {
            // Only the cluster-wide collection exists without a namespace.
            guard rest.count == 1 else { return nil }
            return ResourceRoute(resource: resource, version: version, namespace: nil, name: nil, subresource: nil)
        }
        guard rest.count <= 3 else { return nil }
        let subresource = rest.count == 3 ? rest[2] : nil
        if let subresource, !resource.subresources.contains(subresource) { return nil }
        return ResourceRoute(
            resource: resource, version: version, namespace: nil, name: rest.count >= 2 ? rest[1] : nil,
            subresource: subresource)
    }

    /// The store key of the named object.
    var key: ObjectKey {
        ObjectKey(group: resource.group, resource: resource.plural, namespace: namespace ?? "", name: name ?? "")
    }

    /// `networking.istio.io/v1`.
    var apiVersion: String { resource.apiVersion(version) }
}
