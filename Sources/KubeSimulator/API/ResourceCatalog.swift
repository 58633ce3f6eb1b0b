import BridgeKernel
import IstioSchemaValidation

/// Every resource type the simulator serves, found by group, version and URL name (or short name).
struct ResourceCatalog: Sendable {
    /// All served types, in discovery order.
    let resources: [ServedResource]

    /// The Istio CRDs plus the built-in types the bridge and kubectl use (Lease, Namespace) and those its
    /// deployment manifests consist of (ServiceAccount, ConfigMap, Deployment, Role, RoleBinding).
    init(schemas: IstioSchemas) {
        var resources: [ServedResource] = [Self.namespaces, Self.leases] + Self.deploymentBuiltins
        for definition in schemas.definitions {
            resources.append(Self.custom(definition))
        }
        self.resources = resources
        var seen = Set<String>()
        self.groups = resources.map(\.group).filter { !$0.isEmpty && seen.insert($0).inserted }
        var versions: [String: [String]] = [:]
        for group in Set(resources.map(\.group)) {
            let all = resources.filter { $0.group == group }.flatMap(\.versions)
            var seen = Set<String>()
            versions[group] = all.filter { seen.insert($0).inserted }.sorted(by: KubeVersion.isPreferred)
        }
        self.versionsByGroup = versions
    }

    /// The groups in discovery order (core group excluded).
    let groups: [String]
    /// Worked out once: every request's route resolution asks.
    private let versionsByGroup: [String: [String]]

    /// The served versions of a group, preferred first.
    func versions(ofGroup group: String) -> [String] {
        versionsByGroup[group] ?? []
    }

    /// Types served in `group`/`version`.
    func resources(group: String, version: String) -> [ServedResource] {
        resources.filter { $0.group == group && $0.versions.contains(version) }
    }

    /// The type served at `group`/`version`/`plural`.
    func resource(group: String, version: String, plural: String) -> ServedResource? {
        resources.first { $0.group == group && $0.plural == plural && $0.versions.contains(version) }
    }

    /// The type for `group` and `plural` regardless of version.
    func resource(group: String, plural: String) -> ServedResource? {
        resources.first { $0.group == group && $0.plural == plural }
    }

    // MARK: Built-in types

    static let namespaces = ServedResource(
        group: "", versions: ["v1"], storageVersion: "v1", plural: "namespaces", singular: "namespace",
        kind: "Namespace", listKind: "NamespaceList", namespaced: false, shortNames: ["ns"], categories: [],
        verbs: ["create", "delete", "get", "list", "patch", "update", "watch"], subresources: ["finalize", "status"],
        flavor: .namespace,
        columns: [
            TableColumn(
                name: "Status", type: "string", format: "",
                description: "The status of the namespace", priority: 0
            ) { object, _ in object["status"]?["phase"] ?? "" },
            .age,
        ],
        mergeSchema: .root(.untyped))

    static let leases = ServedResource(
        group: "coordination.k8s.io", versions: ["v1"], storageVersion: "v1", plural: "leases", singular: "lease",
        kind: "Lease", listKind: "LeaseList", namespaced: true, shortNames: [], categories: [],
        verbs: ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"], subresources: [],
        flavor: .lease,
        columns: [
            TableColumn(
                name: "Holder", type: "string", format: "",
                description:
                    "holderIdentity contains the identity of the holder of a current lease. If Coordinated Leader Election is used, the holder identity must be equal to the elected LeaseCandidate.metadata.name field.",
                priority: 0
            ) { object, _ in object["spec"]?["holderIdentity"] ?? "" },
            .age,
        ],
        mergeSchema: .root(.untyped))

    /// A served custom resource type.
    static func custom(_ definition: CustomResourceDefinition) -> ServedResource {
        let served = definition.versions.filter(\.served)
        let versions = served.map(\.name).sorted(by: KubeVersion.isPreferred)
        let storage = definition.storageVersion ?? served[0]
        let preferred = served.first { $0.name == versions[0] } ?? storage
        let columns = preferred.printerColumns.map { column in
            TableColumn.custom(
                name: column.name, type: column.type, format: column.format, description: column.description,
                priority: column.priority, jsonPath: column.jsonPath)
        }
        let rawVersions = definition.document["spec"]?["versions"]?.arrayValue ?? []
        let rawStorage = rawVersions.first { $0["name"]?.stringValue == storage.name }
        let schema = rawStorage?["schema"]?["openAPIV3Schema"].map { MergeSchema(openAPI: $0) } ?? .untyped
        return ServedResource(
            group: definition.group, versions: versions, storageVersion: storage.name, plural: definition.names.plural,
            singular: definition.names.singular, kind: definition.names.kind, listKind: definition.names.listKind,
            namespaced: definition.scope == .namespaced, shortNames: definition.names.shortNames,
            categories: definition.names.categories,
            verbs: ["delete", "deletecollection", "get", "list", "patch", "create", "update", "watch"],
            subresources: storage.hasStatusSubresource ? ["status"] : [], flavor: .custom(definition),
            columns: columns, mergeSchema: .root(schema))
    }
}

/// Kubernetes' version priority (`version.CompareKubeAwareVersionStrings`): GA > beta > alpha, higher numbers
/// first, non-Kubernetes versions last in lexical order.
enum KubeVersion {
    private static func parse(_ version: String) -> (major: Int, stage: Int, minor: Int)? {
        guard version.hasPrefix("v") else { return nil }
        let body = version.dropFirst()
        let digits = body.prefix { $0.isNumber }
        guard let major = Int(digits), major > 0 else { return nil }
        let rest = body.dropFirst(digits.count)
        if rest.isEmpty { return (major, 2, 0) }
        for (prefix, stage) in [("beta", 1), ("alpha", 0)] where rest.hasPrefix(prefix) {
            guard let minor = Int(rest.dropFirst(prefix.count)) else { return nil }
            return (major, stage, minor)
        }
        return nil
    }

    /// Whether `left` sorts before `right`.
    static func isPreferred(_ left: String, _ right: String) -> Bool {
        switch (parse(left), parse(right)) {
        case (let l?, let r?):
            if l.stage != r.stage { return l.stage > r.stage }
            if l.major != r.major { return l.major > r.major }
            return l.minor > r.minor
        case (.some, nil): return true
        case (nil, .some): return false
        case (nil, nil): return left < right
        }
    }
}
