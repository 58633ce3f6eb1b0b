import BridgeKernel
import Foundation

/// The built-in types a deployment of the bridge consists of: ServiceAccount, ConfigMap, Deployment, Role and
/// RoleBinding. Names, verbs, short names, categories and printer columns are those of kube-apiserver v1.32.
extension ResourceCatalog {
    /// Every built-in type the simulator stores for deployment manifests.
    static let deploymentBuiltins: [ServedResource] = [
        serviceAccounts, configMaps, deployments, roles, roleBindings,
    ]

    private static let standardVerbs = [
        "create", "delete", "deletecollection", "get", "list", "patch", "update", "watch",
    ]

    static let serviceAccounts = ServedResource(
        group: "", versions: ["v1"], storageVersion: "v1", plural: "serviceaccounts", singular: "serviceaccount",
        kind: "ServiceAccount", listKind: "ServiceAccountList", namespaced: true, shortNames: ["sa"], categories: [],
        verbs: standardVerbs, subresources: [], flavor: .builtin(.serviceAccount),
        columns: [
            TableColumn(
                name: "Secrets", type: "string", format: "",
                description:
                    "Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use.",
                priority: 0
            ) { object, _ in .int(Int64(object["secrets"]?.arrayValue?.count ?? 0)) },
            .age,
        ],
        mergeSchema: .root(
            MergeSchema(properties: [
                "secrets": MergeSchema(items: .untyped, listType: .map(keys: ["name"])),
                "imagePullSecrets": MergeSchema(items: .untyped, listType: .atomic),
            ])))

    static let configMaps = ServedResource(
        group: "", versions: ["v1"], storageVersion: "v1", plural: "configmaps", singular: "configmap",
        kind: "ConfigMap", listKind: "ConfigMapList", namespaced: true, shortNames: ["cm"], categories: [],
        verbs: standardVerbs, subresources: [], flavor: .builtin(.configMap),
        columns: [
            TableColumn(
                name: "Data", type: "string", format: "",
                description:
                    "Data contains the configuration data. Each key must consist of alphanumeric characters, '-', '_' or '.'.",
                priority: 0
            ) { object, _ in
                let count = (object["data"]?.objectValue?.count ?? 0) + (object["binaryData"]?.objectValue?.count ?? 0)
                return .int(Int64(count))
            },
            .age,
        ],
        mergeSchema: .root(.untyped))

    static let deployments = ServedResource(
        group: "apps", versions: ["v1"], storageVersion: "v1", plural: "deployments", singular: "deployment",
        kind: "Deployment", listKind: "DeploymentList", namespaced: true, shortNames: ["deploy"],
        categories: ["all"], verbs: standardVerbs, subresources: ["status"], flavor: .builtin(.deployment),
        columns: [
            TableColumn(
                name: "Ready", type: "string", format: "", description: "Number of the pod with ready state",
                priority: 0
            ) { object, _ in
                let ready = object["status"]?["readyReplicas"]?.intValue ?? 0
                return .string("\(ready)/\(object["spec"]?["replicas"]?.intValue ?? 1)")
            },
            TableColumn(
                name: "Up-to-date", type: "string", format: "",
                description:
                    "Total number of non-terminated pods targeted by this deployment that have the desired template spec.",
                priority: 0
            ) { object, _ in .int(object["status"]?["updatedReplicas"]?.intValue ?? 0) },
            TableColumn(
                name: "Available", type: "string", format: "",
                description:
                    "Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.",
                priority: 0
            ) { object, _ in .int(object["status"]?["availableReplicas"]?.intValue ?? 0) },
            .age,
            TableColumn(
                name: "Containers", type: "string", format: "",
                description: "Names of each container in the template.", priority: 1
            ) { object, _ in .string(containers(object).compactMap { $0["name"]?.stringValue }.joined(separator: ","))
            },
            TableColumn(
                name: "Images", type: "string", format: "",
                description: "Images referenced by each container in the template.", priority: 1
            ) { object, _ in .string(containers(object).compactMap { $0["image"]?.stringValue }.joined(separator: ","))
            },
            TableColumn(
                name: "Selector", type: "string", format: "",
                description:
                    "Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment.",
                priority: 1
            ) { object, _ in .string(StructuredLabelSelector.format(object["spec"]?["selector"])) },
        ],
        mergeSchema: .root(MergeSchema(properties: ["spec": deploymentSpecSchema])))

    static let roles = ServedResource(
        group: "rbac.authorization.k8s.io", versions: ["v1"], storageVersion: "v1", plural: "roles", singular: "role",
        kind: "Role", listKind: "RoleList", namespaced: true, shortNames: [], categories: [], verbs: standardVerbs,
        subresources: [], flavor: .builtin(.role),
        columns: [
            TableColumn(
                name: "Created At", type: "date", format: "", description: TableColumn.ageDescription, priority: 0
            ) { object, _ in object["metadata"]?["creationTimestamp"] ?? "" }
        ],
        mergeSchema: .root(.untyped))

    static let roleBindings = ServedResource(
        group: "rbac.authorization.k8s.io", versions: ["v1"], storageVersion: "v1", plural: "rolebindings",
        singular: "rolebinding", kind: "RoleBinding", listKind: "RoleBindingList", namespaced: true, shortNames: [],
        categories: [], verbs: standardVerbs, subresources: [], flavor: .builtin(.roleBinding),
        columns: [
            TableColumn(
                name: "Role", type: "string", format: "", description: "RoleRef references the Role for this binding",
                priority: 0
            ) { object, _ in
                .string(
                    (object["roleRef"]?["kind"]?.stringValue ?? "") + "/"
                        + (object["roleRef"]?["name"]?.stringValue ?? ""))
            },
            .age,
            subjectColumn("Users", kind: "User", description: "Users in the roleBinding"),
            subjectColumn("Groups", kind: "Group", description: "Groups in the roleBinding"),
            subjectColumn("ServiceAccounts", kind: "ServiceAccount", description: "ServiceAccounts in the roleBinding"),
        ],
        mergeSchema: .root(MergeSchema(properties: ["roleRef": MergeSchema(isAtomicMap: true)])))

    // MARK: Helpers

    /// `spec.template.spec.containers` of a Deployment.
    private static func containers(_ deployment: JSONValue) -> [JSONValue] {
        deployment["spec"]?["template"]?["spec"]?["containers"]?.arrayValue ?? []
    }

    /// A wide RoleBinding column listing the subjects of one kind (`namespace/name` for service accounts).
    private static func subjectColumn(_ name: String, kind: String, description: String) -> TableColumn {
        TableColumn(name: name, type: "string", format: "", description: description, priority: 1) { object, _ in
            let subjects = (object["subjects"]?.arrayValue ?? []).filter { $0["kind"]?.stringValue == kind }
            let names = subjects.map { subject in
                let name = subject["name"]?.stringValue ?? ""
                guard kind == "ServiceAccount" else { return name }
                return (subject["namespace"]?.stringValue ?? "") + "/" + name
            }
            return .string(names.joined(separator: ", "))
        }
    }

    /// The list types server-side apply needs for a Deployment spec (`+listType=map` in `k8s.io/api`), so two
    /// managers can own different containers, ports or environment variables.
    private static let deploymentSpecSchema: MergeSchema = {
        let container = MergeSchema(properties: [
            "ports": MergeSchema(items: .untyped, listType: .map(keys: ["containerPort", "protocol"])),
            "env": MergeSchema(items: .untyped, listType: .map(keys: ["name"])),
            "volumeMounts": MergeSchema(items: .untyped, listType: .map(keys: ["mountPath"])),
        ])
        let podSpec = MergeSchema(properties: [
            "containers": MergeSchema(items: container, listType: .map(keys: ["name"])),
            "initContainers": MergeSchema(items: container, listType: .map(keys: ["name"])),
            "volumes": MergeSchema(items: .untyped, listType: .map(keys: ["name"])),
            "imagePullSecrets": MergeSchema(items: .untyped, listType: .map(keys: ["name"])),
        ])
        let template = MergeSchema(properties: ["metadata": MergeSchema.objectMeta, "spec": podSpec])
        return MergeSchema(properties: [
            "selector": MergeSchema(isAtomicMap: true), "template": template,
        ])
    }()
}
