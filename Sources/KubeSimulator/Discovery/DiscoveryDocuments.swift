import BridgeKernel

/// The discovery documents kubectl and client-go read: `/version`, `/api`, `/api/v1`, `/apis` (aggregated v2 or
/// the legacy group list), `/apis/<group>` and `/apis/<group>/<version>`.
struct DiscoveryDocuments: Sendable {
    let catalog: ResourceCatalog
    let gitVersion: String
    let serverAddress: String

    /// The aggregated discovery media type parameters.
    static let aggregatedV2 = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList"
    static let aggregatedV2Beta1 = "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList"

    var version: JSONValue {
        let parts = gitVersion.dropFirst().split(separator: ".")
        return [
            "major": .string(parts.first.map(String.init) ?? "1"),
            "minor": .string(parts.count > 1 ? String(parts[1]) : "32"),
            "gitVersion": .string(gitVersion), "gitCommit": "0000000000000000000000000000000000000000",
            "gitTreeState": "clean", "buildDate": "2025-01-01T00:00:00Z", "goVersion": "go1.23.6",
            "compiler": "gc", "platform": "linux/amd64",
        ]
    }

    var legacyAPIVersions: JSONValue {
        [
            "kind": "APIVersions", "versions": ["v1"],
            "serverAddressByClientCIDRs": [["clientCIDR": "0.0.0.0/0", "serverAddress": .string(serverAddress)]],
        ]
    }

    func apiGroup(_ group: String) -> JSONValue {
        let versions = catalog.versions(ofGroup: group)
        let entries: [JSONValue] = versions.map { ["groupVersion": .string(group + "/" + $0), "version": .string($0)] }
        return [
            "kind": "APIGroup", "apiVersion": "v1", "name": .string(group), "versions": .array(entries),
            "preferredVersion": entries.first ?? .null,
        ]
    }

    var apiGroupList: JSONValue {
        var groups: [JSONValue] = []
        for group in catalog.groups {
            var entry = apiGroup(group).objectValue!
            entry["kind"] = nil
            entry["apiVersion"] = nil
            groups.append(.object(entry))
        }
        return ["kind": "APIGroupList", "apiVersion": "v1", "groups": .array(groups)]
    }

    /// `APIResourceList` for one group-version (legacy discovery).
    func resourceList(group: String, version: String) -> JSONValue {
        var resources: [JSONValue] = []
        for resource in catalog.resources(group: group, version: version) {
            var entry: [String: JSONValue] = [
                "name": .string(resource.plural), "singularName": .string(resource.singular),
                "namespaced": .bool(resource.namespaced), "kind": .string(resource.kind),
                "verbs": .array(resource.verbs.map(JSONValue.string)),
                "storageVersionHash": .string(resource.storageVersionHash),
            ]
            if !resource.shortNames.isEmpty { entry["shortNames"] = .array(resource.shortNames.map(JSONValue.string)) }
            if !resource.categories.isEmpty { entry["categories"] = .array(resource.categories.map(JSONValue.string)) }
            resources.append(.object(entry))
            for subresource in resource.subresources {
                resources.append([
                    "name": .string(resource.plural + "/" + subresource), "singularName": "",
                    "namespaced": .bool(resource.namespaced), "kind": .string(resource.kind),
                    "verbs": subresource == "finalize" ? ["update"] : ["get", "patch", "update"],
                ])
            }
        }
        return [
            "kind": "APIResourceList", "apiVersion": "v1",
            "groupVersion": .string(group.isEmpty ? version : group + "/" + version), "resources": .array(resources),
        ]
    }

    /// The aggregated `APIGroupDiscoveryList` for `/apis` (`core == false`) or `/api` (`core == true`).
    func aggregated(core: Bool, apiVersion: String) -> JSONValue {
        let groups = core ? [""] : catalog.groups
        var items: [JSONValue] = []
        for group in groups {
            var versions: [JSONValue] = []
            let groupVersions = core ? ["v1"] : catalog.versions(ofGroup: group)
            for version in groupVersions {
                let resources: [JSONValue] = catalog.resources(group: group, version: version).map { resource in
                    let responseKind: JSONValue = [
                        "group": .string(group), "version": .string(version), "kind": .string(resource.kind),
                    ]
                    var entry: [String: JSONValue] = [
                        "resource": .string(resource.plural), "singularResource": .string(resource.singular),
                        "scope": resource.namespaced ? "Namespaced" : "Cluster", "responseKind": responseKind,
                        "verbs": .array(resource.verbs.map(JSONValue.string)),
                    ]
                    if !resource.shortNames.isEmpty {
                        entry["shortNames"] = .array(resource.shortNames.map(JSONValue.string))
                    }
                    if !resource.categories.isEmpty {
                        entry["categories"] = .array(resource.categories.map(JSONValue.string))
                    }
                    if !resource.subresources.isEmpty {
                        entry["subresources"] = .array(
                            resource.subresources.map { subresource in
                                [
                                    "subresource": .string(subresource), "responseKind": responseKind,
                                    "verbs": subresource == "finalize" ? ["update"] : ["get", "patch", "update"],
                                ]
                            })
                    }
                    return .object(entry)
                }
                versions.append(["version": .string(version), "resources": .array(resources), "freshness": "Current"])
            }
            items.append([
                "metadata": ["name": .string(group), "creationTimestamp": .null], "versions": .array(versions),
            ])
        }
        return [
            "kind": "APIGroupDiscoveryList", "apiVersion": .string(apiVersion), "metadata": [:], "items": .array(items),
        ]
    }
}
