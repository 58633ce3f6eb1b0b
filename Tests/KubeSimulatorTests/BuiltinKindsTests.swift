import BridgeKernel
import Foundation
import KubeSimulator
import Testing

/// The built-in kinds of the deployment manifests (ServiceAccount, ConfigMap, Deployment, Role, RoleBinding)
/// over raw HTTP: CRUD, generation, validation, strategic merge patch, discovery and OpenAPI.
@Suite("built-in kinds")
struct BuiltinKindsTests {
    static let configMaps = "/api/v1/namespaces/default/configmaps"
    static let deployments = "/apis/apps/v1/namespaces/default/deployments"
    static let roles = "/apis/rbac.authorization.k8s.io/v1/namespaces/default/roles"
    static let roleBindings = "/apis/rbac.authorization.k8s.io/v1/namespaces/default/rolebindings"

    static func configMap(_ name: String, data: JSONValue = ["key": "value"]) -> JSONValue {
        ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": .string(name)], "data": data]
    }

    static func deployment(_ name: String, image: String = "app:1", labels: JSONValue = ["app": "x"]) -> JSONValue {
        [
            "apiVersion": "apps/v1", "kind": "Deployment", "metadata": ["name": .string(name)],
            "spec": [
                "replicas": 2, "selector": ["matchLabels": ["app": "x"]],
                "template": [
                    "metadata": ["labels": labels],
                    "spec": [
                        "containers": [
                            [
                                "name": "app", "image": .string(image),
                                "env": [["name": "A", "value": "1"], ["name": "B", "value": "2"]],
                            ]
                        ]
                    ],
                ],
            ],
        ]
    }

    @Test func configMapsAreCreatedReadListedAndDeletedWithoutGeneration() async throws {
        let fixture = try await SimulatorFixture.start()
        defer { Task { await fixture.stop() } }
        let created = try await fixture.http.request(.POST, Self.configMaps, json: Self.configMap("settings"))
        #expect(created.status == 201)
        let object = try #require(created.json)
        #expect(object["metadata"]?["namespace"] == "default")
        #expect(object["metadata"]?["uid"]?.stringValue?.isEmpty == false)
        #expect(object["metadata"]?["creationTimestamp"]?.stringValue?.hasSuffix("Z") == true)
        #expect(object["metadata"]?["generation"] == nil)
        #expect(object["data"] == ["key": "value"])

        let read = try await fixture.http.get(Self.configMaps + "/settings")
        #expect(read.status == 200)
        #expect(read.json == object)

        let updated = try await fixture.http.request(
            .PATCH, Self.configMaps + "/settings", json: ["data": ["key": "other"]],
            contentType: "application/merge-patch+json")
        #expect(updated.status == 200)
        #expect(updated.json?["metadata"]?["generation"] == nil)
        #expect(updated.json?.resourceVersion != object.resourceVersion)

        let list = try await fixture.http.get("/api/v1/configmaps")
        #expect(list.json?["kind"] == "ConfigMapList")
        #expect(list.json?["items"]?.arrayValue?.compactMap { $0["metadata"]?["name"]?.stringValue } == ["settings"])

        let deleted = try await fixture.http.request(.DELETE, Self.configMaps + "/settings")
        #expect(deleted.status == 200)
        #expect(deleted.json?["status"] == "Success")
        #expect(deleted.json?["details"]?["kind"] == "configmaps")
        let gone = try await fixture.http.get(Self.configMaps + "/settings")
        #expect(gone.status == 404)
        #expect(gone.json?["message"] == "configmaps \"settings\" not found")
    }

    @Test func configMapDataMustBeStringsUnderValidKeys() async throws {
        let fixture = try await SimulatorFixture.start()
        defer { Task { await fixture.stop() } }
        let number = try await fixture.http.request(
            .POST, Self.configMaps, json: Self.configMap("n", data: ["replicas": 2]))
        #expect(number.status == 400)
        #expect(
            number.json?["message"]?.stringValue?.hasPrefix(
                "ConfigMap in version \"v1\" cannot be handled as a ConfigMap: json: cannot unmarshal number") == true)
        let badKey = try await fixture.http.request(
            .POST, Self.configMaps, json: Self.configMap("k", data: ["a/b": "x"]))
        #expect(badKey.status == 422)
        #expect(badKey.json?["details"]?["causes"]?[0]?["field"] == "data[a/b]")
        let unknown = try await fixture.http.request(
            .POST, Self.configMaps + "?fieldValidation=Strict",
            json: ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "u"], "spec": ["a": "b"]])
        #expect(unknown.status == 400)
        #expect(unknown.json?["message"] == "strict decoding error: unknown field \"spec\"")
    }

    @Test func deploymentGenerationFollowsSpecAndAnnotationsButNotLabelsOrStatus() async throws {
        let fixture = try await SimulatorFixture.start()
        defer { Task { await fixture.stop() } }
        let created = try await fixture.http.request(.POST, Self.deployments, json: Self.deployment("web"))
        #expect(created.status == 201)
        #expect(created.json?["metadata"]?["generation"] == 1)

        func patch(_ body: JSONValue, _ path: String = "/web") async throws -> JSONValue? {
            let response = try await fixture.http.request(
                .PATCH, Self.deployments + path, json: body, contentType: "application/merge-patch+json")
            #expect(response.status == 200, "\(response.text)")
            return response.json
        }
        #expect(try await patch(["metadata": ["labels": ["tier": "web"]]])?["metadata"]?["generation"] == 1)
        #expect(try await patch(["spec": ["replicas": 3]])?["metadata"]?["generation"] == 2)
        #expect(try await patch(["metadata": ["annotations": ["note": "x"]]])?["metadata"]?["generation"] == 3)
        let ignoredStatus = try await patch(["status": ["readyReplicas": 3]])
        #expect(ignoredStatus?["status"] == nil)
        #expect(ignoredStatus?["metadata"]?["generation"] == 3)
        let status = try await patch(["status": ["readyReplicas": 3, "replicas": 3]], "/web/status")
        #expect(status?["status"]?["readyReplicas"] == 3)
        #expect(status?["metadata"]?["generation"] == 3)

        let table = try await fixture.http.get(
            Self.deployments, accept: "application/json;as=Table;v=v1;g=meta.k8s.io,application/json")
        #expect(table.json?["rows"]?[0]?["cells"]?.arrayValue?.prefix(4) == ["web", "3/3", 0, 0])
    }

    @Test func deploymentSelectorMustMatchTheTemplateAndCannotChange() async throws {
        let fixture = try await SimulatorFixture.start()
        defer { Task { await fixture.stop() } }
        let mismatch = try await fixture.http.request(
            .POST, Self.deployments, json: Self.deployment("web", labels: ["app": "y"]))
        #expect(mismatch.status == 422)
        #expect(
            mismatch.json?["message"]
                == "Deployment.apps \"web\" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"y\"}: `selector` does not match template `labels`"
        )
        try await fixture.seed(Self.deployments, Self.deployment("web"))
        let moved = try await fixture.http.request(
            .PATCH, Self.deployments + "/web",
            json: [
                "spec": ["selector": ["matchLabels": ["app": "z"]], "template": ["metadata": ["labels": ["app": "z"]]]]
            ],
            contentType: "application/merge-patch+json")
        #expect(moved.status == 422)
        #expect(moved.json?["details"]?["causes"]?[0]?["field"] == "spec.selector")
        #expect(moved.json?["details"]?["causes"]?[0]?["message"]?.stringValue?.hasSuffix("field is immutable") == true)
    }

    @Test func strategicMergePatchMergesContainersAndEnvironmentByName() async throws {
        let fixture = try await SimulatorFixture.start()
        defer { Task { await fixture.stop() } }
        try await fixture.seed(Self.deployments, Self.deployment("web"))
        let patch: JSONValue = [
            "spec": [
                "template": [
                    "spec": [
                        "$setElementOrder/containers": [["name": "app"]],
                        "containers": [
                            [
                                "name": "app", "image": "app:2",
                                "$setElementOrder/env": [["name": "B"], ["name": "A"]],
                                "env": [["name": "B", "value": "3"]],
                            ]
                        ],
                    ]
                ]
            ]
        ]
        let response = try await fixture.http.request(
            .PATCH, Self.deployments + "/web", json: patch, contentType: "application/strategic-merge-patch+json")
        #expect(response.status == 200, "\(response.text)")
        let container = response.json?["spec"]?["template"]?["spec"]?["containers"]?[0]
        #expect(container?["image"] == "app:2")
        #expect(container?["env"] == [["name": "B", "value": "3"], ["name": "A", "value": "1"]])
        #expect(response.json?["metadata"]?["generation"] == 2)

        let deletion: JSONValue = [
            "spec": [
                "template": ["spec": ["containers": [["name": "app", "env": [["name": "A", "$patch": "delete"]]]]]]
            ]
        ]
        let deleted = try await fixture.http.request(
            .PATCH, Self.deployments + "/web", json: deletion, contentType: "application/strategic-merge-patch+json")
        #expect(
            deleted.json?["spec"]?["template"]?["spec"]?["containers"]?[0]?["env"] == [["name": "B", "value": "3"]])
        #expect(deleted.json?["spec"]?["template"]?["spec"]?["containers"]?[0]?["image"] == "app:2")
    }

    @Test func rolesNeedVerbsAndRoleBindingsKeepTheirRoleRef() async throws {
        let fixture = try await SimulatorFixture.start()
        defer { Task { await fixture.stop() } }
        let noVerbs = try await fixture.http.request(
            .POST, Self.roles,
            json: [
                "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role", "metadata": ["name": "r"],
                "rules": [["apiGroups": [""], "resources": ["configmaps"]]],
            ])
        #expect(noVerbs.status == 422)
        #expect(
            noVerbs.json?["message"]
                == "Role.rbac.authorization.k8s.io \"r\" is invalid: rules[0].verbs: Required value: verbs must contain at least one value"
        )
        let binding: JSONValue = [
            "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding", "metadata": ["name": "b"],
            "roleRef": ["apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "r"],
            "subjects": [["kind": "User", "name": "alice"]],
        ]
        let created = try await fixture.http.request(.POST, Self.roleBindings, json: binding)
        #expect(created.status == 201)
        #expect(created.json?["subjects"]?[0]?["apiGroup"] == "rbac.authorization.k8s.io", "defaulted for users")
        #expect(created.json?["metadata"]?["generation"] == nil)
        let retarget = try await fixture.http.request(
            .PATCH, Self.roleBindings + "/b", json: ["roleRef": ["name": "other"]],
            contentType: "application/merge-patch+json")
        #expect(retarget.status == 422)
        #expect(
            retarget.json?["message"]
                == "RoleBinding.rbac.authorization.k8s.io \"b\" is invalid: roleRef: Invalid value: rbac.RoleRef{APIGroup:\"rbac.authorization.k8s.io\", Kind:\"Role\", Name:\"other\"}: cannot change roleRef"
        )
    }

    @Test func discoveryAndOpenAPIListTheBuiltinKinds() async throws {
        let fixture = try await SimulatorFixture.start()
        defer { Task { await fixture.stop() } }
        let core = try await fixture.http.get("/api/v1")
        let names = Set((core.json?["resources"]?.arrayValue ?? []).compactMap { $0["name"]?.stringValue })
        #expect(names == ["namespaces", "namespaces/finalize", "namespaces/status", "serviceaccounts", "configmaps"])
        let aggregated = try await fixture.http.get(
            "/api", accept: "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList")
        let coreResources = aggregated.json?["items"]?[0]?["versions"]?[0]?["resources"]?.arrayValue ?? []
        #expect(
            Set(coreResources.compactMap { $0["resource"]?.stringValue }) == [
                "namespaces", "serviceaccounts", "configmaps",
            ])
        let groups = try await fixture.http.get("/apis")
        let groupNames = (groups.json?["groups"]?.arrayValue ?? []).compactMap { $0["name"]?.stringValue }
        #expect(groupNames.contains("apps"))
        #expect(groupNames.contains("rbac.authorization.k8s.io"))
        let apps = try await fixture.http.get("/apis/apps/v1")
        let deployment = apps.json?["resources"]?.arrayValue?.first { $0["name"] == "deployments" }
        #expect(deployment?["shortNames"] == ["deploy"])
        #expect(deployment?["namespaced"] == true)
        #expect(apps.json?["resources"]?.arrayValue?.contains { $0["name"] == "deployments/status" } == true)

        let root = try await fixture.http.get("/openapi/v3")
        for path in ["api/v1", "apis/apps/v1", "apis/rbac.authorization.k8s.io/v1"] {
            let relative = try #require(root.json?["paths"]?[path]?["serverRelativeURL"]?.stringValue)
            let document = try await fixture.http.get(relative)
            #expect(document.status == 200)
        }
        let appsDocument = try #require(try await fixture.http.get("/openapi/v3/apis/apps/v1").json)
        let patch = appsDocument["paths"]?["/apis/apps/v1/namespaces/{namespace}/deployments/{name}"]?["patch"]
        #expect(patch?["x-kubernetes-group-version-kind"] == ["group": "apps", "version": "v1", "kind": "Deployment"])
        #expect(patch?["parameters"]?.arrayValue?.contains { $0["name"] == "fieldValidation" } == true)
        #expect(appsDocument["components"]?["schemas"]?["io.k8s.api.apps.v1.Deployment"] != nil)
    }
}
