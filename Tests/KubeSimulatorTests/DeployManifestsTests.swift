import BridgeKernel
import Foundation
import IstioSchemaValidation
import KubeSimulator
import Testing

/// `deploy/kubernetes`: rendered by the real `kubectl kustomize`, then applied with the real kubectl (server-side
/// and client-side) to the simulator and read back.
@Suite("deploy/kubernetes manifests")
struct DeployManifestsTests {
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    static let manifests = repositoryRoot.appendingPathComponent("deploy/kubernetes").path

    /// The objects `kubectl kustomize deploy/kubernetes` prints.
    static func render(_ directory: String = manifests) async throws -> (yaml: String, objects: [JSONValue]) {
        let result = try await run("kubectl", ["kustomize", directory])
        try #require(result.status == 0, "kubectl kustomize failed: \(result.stderr)")
        return (result.stdout, try KubernetesYAML.documents(result.stdout))
    }

    static func object(_ objects: [JSONValue], kind: String) throws -> JSONValue {
        let matching = objects.filter { $0["kind"]?.stringValue == kind }
        try #require(matching.count == 1, "expected one \(kind), found \(matching.count)")
        return matching[0]
    }

    // MARK: Rendering

    @Test func kustomizeRendersOneNamespacedObjectOfEachKindAndNothingClusterWide() async throws {
        let (_, objects) = try await Self.render()
        let kinds = objects.compactMap { $0["kind"]?.stringValue }.sorted()
        #expect(kinds == ["ConfigMap", "Deployment", "Namespace", "Role", "RoleBinding", "ServiceAccount"])
        for object in objects where object["kind"] != "Namespace" {
            #expect(object["metadata"]?["namespace"] == "meshbridge", "\(object["kind"] ?? .null)")
        }
        #expect(try Self.object(objects, kind: "Namespace")["metadata"]?["name"] == "meshbridge")
    }

    @Test func deploymentRunsTwoNonRootReplicasWithProbesOnTheOperationsPort() async throws {
        let (_, objects) = try await Self.render()
        let deployment = try Self.object(objects, kind: "Deployment")
        let spec = try #require(deployment["spec"])
        #expect(spec["replicas"] == 2)
        let selector = try #require(spec["selector"]?["matchLabels"]?.objectValue)
        let podLabels = try #require(spec["template"]?["metadata"]?["labels"]?.objectValue)
        #expect(!selector.isEmpty)
        #expect(selector.allSatisfy { podLabels[$0.key] == $0.value })
        let pod = try #require(spec["template"]?["spec"])
        #expect(pod["serviceAccountName"] == (try Self.object(objects, kind: "ServiceAccount"))["metadata"]?["name"])
        #expect(pod["terminationGracePeriodSeconds"] == 30)
        #expect(pod["securityContext"]?["runAsNonRoot"] == true)
        #expect(pod["securityContext"]?["seccompProfile"]?["type"] == "RuntimeDefault")

        let containers = try #require(pod["containers"]?.arrayValue)
        try #require(containers.count == 1)
        let container = containers[0]
        #expect(container["image"] == "meshbridge:0.1.0")
        #expect(container["args"] == ["--config", "/etc/meshbridge/bridge.yaml", "--log-json"])
        #expect(container["ports"] == [["name": "operations", "containerPort": 9090, "protocol": "TCP"]])
        #expect(container["livenessProbe"]?["httpGet"]?["path"] == "/healthz")
        #expect(container["livenessProbe"]?["httpGet"]?["port"] == 9090)
        #expect(container["readinessProbe"]?["httpGet"]?["path"] == "/readyz")
        #expect(container["readinessProbe"]?["httpGet"]?["port"] == 9090)

        let security = try #require(container["securityContext"])
        #expect(security["runAsNonRoot"] == true)
        #expect(security["runAsUser"] == 65532)
        #expect(security["readOnlyRootFilesystem"] == true)
        #expect(security["allowPrivilegeEscalation"] == false)
        #expect(security["capabilities"]?["drop"] == ["ALL"])
        #expect(security["seccompProfile"]?["type"] == "RuntimeDefault")
        #expect(container["resources"]?["requests"] == ["cpu": "100m", "memory": "128Mi"])
        #expect(container["resources"]?["limits"]?["memory"] == "512Mi")

        let environment = container["env"]?.arrayValue ?? []
        let fieldPaths = Dictionary(
            uniqueKeysWithValues: environment.compactMap { variable in
                variable["name"]?.stringValue.map { ($0, variable["valueFrom"]?["fieldRef"]?["fieldPath"]) }
            })
        #expect(fieldPaths["POD_NAMESPACE"] == "metadata.namespace")
        #expect(fieldPaths["POD_NAME"] == "metadata.name")
    }

    @Test func configMapIsGeneratedFromBridgeYAMLAndMountedAtEtcMeshbridge() async throws {
        let (_, objects) = try await Self.render()
        let configMap = try Self.object(objects, kind: "ConfigMap")
        let name = try #require(configMap["metadata"]?["name"]?.stringValue)
        #expect(name.hasPrefix("meshbridge-config-"), "kustomize appends the content hash")
        let file = try String(contentsOfFile: Self.manifests + "/bridge.yaml", encoding: .utf8)
        #expect(configMap["data"] == ["bridge.yaml": .string(file)])

        let pod = try Self.object(objects, kind: "Deployment")["spec"]?["template"]?["spec"]
        let volume = try #require(pod?["volumes"]?.arrayValue?.first { $0["configMap"] != nil })
        #expect(volume["configMap"]?["name"] == .string(name))
        let mount = try #require(
            pod?["containers"]?[0]?["volumeMounts"]?.arrayValue?.first { $0["name"] == volume["name"] })
        #expect(mount["mountPath"] == "/etc/meshbridge")
    }

    @Test func bridgeConfigRendersIntoItsOwnNamespaceWithTheLiveSinkInCluster() async throws {
        let config = try KubernetesYAML.document(
            try String(contentsOfFile: Self.manifests + "/bridge.yaml", encoding: .utf8))
        #expect(config["sources"]?[0]?["type"] == "servicecenter")
        #expect(config["sources"]?[0]?["addresses"] == ["http://servicecenter.servicecomb.svc:30100"])
        #expect(config["render"]?["namespace"] == "meshbridge")
        #expect(config["sinks"]?.arrayValue?.count == 1)
        #expect(config["sinks"]?[0]?["type"] == "istio")
        #expect(config["sinks"]?[0]?["inCluster"] == true)
        #expect(config["leaderElection"]?["enabled"] == true)
        #expect(config["leaderElection"]?["name"] == "meshbridge")
        #expect(config["operations"]?["address"] == "0.0.0.0:9090")
    }

    @Test func roleGrantsExactlyTheIstioKindsAndLeasesAndIsBoundToTheServiceAccount() async throws {
        let (_, objects) = try await Self.render()
        #expect(!objects.contains { ["ClusterRole", "ClusterRoleBinding"].contains($0["kind"]?.stringValue) })
        let role = try Self.object(objects, kind: "Role")
        struct Grant: Hashable {
            let group: String
            let resource: String
            let verbs: Set<String>
        }
        var grants = Set<Grant>()
        for rule in role["rules"]?.arrayValue ?? [] {
            #expect(rule["resourceNames"] == nil)
            #expect(rule["nonResourceURLs"] == nil)
            let verbs = Set((rule["verbs"]?.arrayValue ?? []).compactMap(\.stringValue))
            for group in rule["apiGroups"]?.arrayValue ?? [] {
                for resource in rule["resources"]?.arrayValue ?? [] {
                    grants.insert(
                        Grant(group: group.stringValue ?? "", resource: resource.stringValue ?? "", verbs: verbs))
                }
            }
        }
        let istioVerbs: Set = ["get", "list", "watch", "create", "update", "patch", "delete"]
        #expect(
            grants == [
                Grant(group: "networking.istio.io", resource: "serviceentries", verbs: istioVerbs),
                Grant(group: "networking.istio.io", resource: "workloadentries", verbs: istioVerbs),
                Grant(
                    group: "coordination.k8s.io", resource: "leases",
                    verbs: ["get", "list", "watch", "create", "update"]),
            ])

        let binding = try Self.object(objects, kind: "RoleBinding")
        #expect(
            binding["roleRef"]
                == [
                    "apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": role["metadata"]?["name"] ?? .null,
                ])
        let serviceAccount = try Self.object(objects, kind: "ServiceAccount")
        #expect(
            binding["subjects"]
                == [
                    [
                        "kind": "ServiceAccount", "name": serviceAccount["metadata"]?["name"] ?? .null,
                        "namespace": "meshbridge",
                    ]
                ])
    }

    // MARK: Applying to the simulator

    /// Reads every rendered object back with `kubectl get -f` and compares the content the manifests set.
    private static func expectStored(_ rendered: [JSONValue], fixture: SimulatorFixture, file: String) async throws {
        let get = try await fixture.kubectl(["get", "-f", file, "-o", "json"])
        try #require(get.status == 0, "\(get.stderr)")
        let items = try JSONValue.parse(Data(get.stdout.utf8))["items"]?.arrayValue ?? []
        #expect(items.count == rendered.count)
        for object in rendered {
            let kind = object["kind"]?.stringValue ?? ""
            let stored = try #require(
                items.first {
                    $0["kind"]?.stringValue == kind && $0["metadata"]?["name"] == object["metadata"]?["name"]
                },
                "\(kind) was not read back")
            #expect(stored["metadata"]?["uid"]?.stringValue?.isEmpty == false)
            #expect(stored["metadata"]?["labels"] == object["metadata"]?["labels"])
            for field in ["spec", "data", "rules", "roleRef", "subjects"] where field != "spec" || kind != "Namespace" {
                #expect(stored[field] == object[field], "\(kind).\(field)")
            }
        }
    }

    @Test func serverSideApplyIsAcceptedEveryObjectReadsBackAndReapplyingWritesNothing() async throws {
        let fixture = try await SimulatorFixture.start()
        defer { Task { await fixture.stop() } }
        let (yaml, rendered) = try await Self.render()
        let file = try fixture.write("rendered.yaml", yaml)

        let first = try await fixture.kubectl(["apply", "--server-side", "-k", Self.manifests])
        #expect(first.status == 0, "\(first.stderr)")
        for line in [
            "namespace/meshbridge serverside-applied", "serviceaccount/meshbridge serverside-applied",
            "role.rbac.authorization.k8s.io/meshbridge serverside-applied",
            "rolebinding.rbac.authorization.k8s.io/meshbridge serverside-applied",
            "deployment.apps/meshbridge serverside-applied",
        ] {
            #expect(first.stdout.contains(line), "\(first.stdout)")
        }
        #expect(first.stdout.contains("configmap/meshbridge-config-"))
        #expect(first.stderr.isEmpty, "\(first.stderr)")
        try await Self.expectStored(rendered, fixture: fixture, file: file)

        let deploymentKey = ObjectKey(
            group: "apps", resource: "deployments", namespace: "meshbridge", name: "meshbridge")
        let deployment = try #require(fixture.simulator.store.object(deploymentKey))
        #expect(deployment["metadata"]?["generation"] == 1)
        #expect(deployment["metadata"]?["managedFields"]?[0]?["manager"] == "kubectl")
        let revision = fixture.simulator.store.revision
        let again = try await fixture.kubectl(["apply", "--server-side", "-k", Self.manifests])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(fixture.simulator.store.revision == revision, "an unchanged apply must not write")
    }

    @Test func clientSideApplyIsAcceptedReapplyIsUnchangedAndAnImageChangePatchesOnlyTheImage() async throws {
        let fixture = try await SimulatorFixture.start()
        defer { Task { await fixture.stop() } }
        let (yaml, rendered) = try await Self.render()
        let file = try fixture.write("rendered.yaml", yaml)

        let first = try await fixture.kubectl(["apply", "-k", Self.manifests])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("namespace/meshbridge created"), "\(first.stdout)")
        #expect(first.stdout.contains("deployment.apps/meshbridge created"), "\(first.stdout)")
        #expect(first.stdout.split(separator: "\n").count == 6)
        #expect(first.stderr.isEmpty, "\(first.stderr)")
        try await Self.expectStored(rendered, fixture: fixture, file: file)

        let revision = fixture.simulator.store.revision
        let again = try await fixture.kubectl(["apply", "-k", Self.manifests])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout.split(separator: "\n").allSatisfy { $0.hasSuffix(" unchanged") }, "\(again.stdout)")
        #expect(fixture.simulator.store.revision == revision)

        // An overlay that only sets the image: kubectl sends a strategic merge patch for the Deployment.
        // (kustomize refuses absolute paths to bases, so the base is copied next to the overlay.)
        let base = (fixture.directory as NSString).appendingPathComponent("base")
        let overlay = (fixture.directory as NSString).appendingPathComponent("overlay")
        try FileManager.default.copyItem(atPath: Self.manifests, toPath: base)
        try FileManager.default.createDirectory(atPath: overlay, withIntermediateDirectories: true)
        try """
        resources: [../base]
        images:
          - name: meshbridge
            newName: registry.example.com/platform/meshbridge
            newTag: 0.2.0
        """.write(toFile: overlay + "/kustomization.yaml", atomically: true, encoding: .utf8)
        let changed = try await fixture.kubectl(["apply", "-k", overlay])
        #expect(changed.status == 0, "\(changed.stderr)")
        #expect(changed.stdout.contains("deployment.apps/meshbridge configured"), "\(changed.stdout)")
        #expect(changed.stderr.isEmpty, "\(changed.stderr)")

        let deploymentKey = ObjectKey(
            group: "apps", resource: "deployments", namespace: "meshbridge", name: "meshbridge")
        let deployment = try #require(fixture.simulator.store.object(deploymentKey))
        let container = deployment["spec"]?["template"]?["spec"]?["containers"]?[0]
        #expect(container?["image"] == "registry.example.com/platform/meshbridge:0.2.0")
        let original = try Self.object(rendered, kind: "Deployment")["spec"]?["template"]?["spec"]?["containers"]?[0]
        for field in ["args", "env", "ports", "livenessProbe", "readinessProbe", "securityContext", "volumeMounts"] {
            #expect(container?[field] == original?[field], "\(field) survives the patch")
        }
        #expect(deployment["spec"]?["template"]?["spec"]?["containers"]?.arrayValue?.count == 1)
        #expect(deployment["metadata"]?["generation"] == 2)
    }
}
