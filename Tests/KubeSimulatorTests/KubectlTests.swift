import BridgeKernel
import Foundation
import KubeSimulator
import Testing

/// The real kubectl (v1.32) against a running simulator.
@Suite("kubectl against the simulator")
struct KubectlTests {
    static let serviceEntryYAML = """
        apiVersion: networking.istio.io/v1
        kind: ServiceEntry
        metadata:
          name: payments
          namespace: default
        spec:
          hosts:
          - payments.example.com
          location: MESH_INTERNAL
          resolution: STATIC
          ports:
          - name: http
            number: 8080
            protocol: HTTP
          workloadSelector:
            labels:
              app: payments
        ---
        apiVersion: networking.istio.io/v1
        kind: WorkloadEntry
        metadata:
          name: payments-1
          namespace: default
        spec:
          address: 10.0.0.1
          labels:
            app: payments
        """

    @Test func getServiceEntriesAcrossNamespacesPrintsPrinterColumns() async throws {
        let fixture = try await SimulatorFixture.start()
        defer { Task { await fixture.stop() } }
        try await fixture.seed(Objects.sePath, Objects.serviceEntry("alpha", hosts: ["alpha.example.com"]))
        try await fixture.seed(
            "/apis/networking.istio.io/v1/namespaces/istio-system/serviceentries",
            Objects.serviceEntry("beta", namespace: "istio-system", hosts: ["beta.example.com"]))

        let result = try await fixture.kubectl(["get", "se", "-A"])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map {
            $0.split(separator: " ", omittingEmptySubsequences: true)
        }
        #expect(lines.first == ["NAMESPACE", "NAME", "HOSTS", "LOCATION", "RESOLUTION", "AGE"])
        #expect(
            lines.dropFirst().map { Array($0.prefix(5)) } == [
                ["default", "alpha", "[\"alpha.example.com\"]", "MESH_INTERNAL", "STATIC"],
                ["istio-system", "beta", "[\"beta.example.com\"]", "MESH_INTERNAL", "STATIC"],
            ])
    }

    @Test func serverSideApplyCreatesObjectsAndReportsConflictsWithOtherManagers() async throws {
        let fixture = try await SimulatorFixture.start()
        defer { Task { await fixture.stop() } }
        let file = try fixture.write("objects.yaml", Self.serviceEntryYAML)

        let first = try await fixture.kubectl(["apply", "--server-side", "-f", file])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("serviceentry.networking.istio.io/payments serverside-applied"))
        #expect(first.stdout.contains("workloadentry.networking.istio.io/payments-1 serverside-applied"))
        let created = try #require(
            fixture.simulator.store.object(
                ObjectKey(
                    group: "networking.istio.io", resource: "serviceentries", namespace: "default", name: "payments")))
        #expect(created["metadata"]?["managedFields"]?.arrayValue?.first?["manager"] == "kubectl")
        #expect(created["metadata"]?["managedFields"]?.arrayValue?.first?["operation"] == "Apply")

        let changed = try fixture.write(
            "changed.yaml",
            Self.serviceEntryYAML.replacingOccurrences(of: "payments.example.com", with: "pay.example.com"))
        let conflicting = try await fixture.kubectl(["apply", "--server-side", "--field-manager=ops", "-f", changed])
        #expect(conflicting.status != 0)
        #expect(
            conflicting.stderr.contains("Apply failed with 1 conflict: conflict with \"kubectl\": .spec.hosts"),
            "\(conflicting.stderr)")

        let forced = try await fixture.kubectl([
            "apply", "--server-side", "--field-manager=ops", "--force-conflicts", "-f", changed,
        ])
        #expect(forced.status == 0, "\(forced.stderr)")
        let result = try #require(
            fixture.simulator.store.object(
                ObjectKey(
                    group: "networking.istio.io", resource: "serviceentries", namespace: "default", name: "payments")))
        #expect(result["spec"]?["hosts"] == ["pay.example.com"])
        let managers = result["metadata"]?["managedFields"]?.arrayValue?.compactMap { $0["manager"]?.stringValue } ?? []
        #expect(managers.contains("ops"))
    }

    @Test func clientSideApplyCreatesThenPatchesAndLeavesUnchangedObjectsAlone() async throws {
        let fixture = try await SimulatorFixture.start()
        defer { Task { await fixture.stop() } }
        let file = try fixture.write("objects.yaml", Self.serviceEntryYAML)
        let key = ObjectKey(
            group: "networking.istio.io", resource: "serviceentries", namespace: "default", name: "payments")

        let created = try await fixture.kubectl(["apply", "-f", file])
        #expect(created.status == 0, "\(created.stderr)")
        #expect(created.stdout.contains("serviceentry.networking.istio.io/payments created"))
        let stored = try #require(fixture.simulator.store.object(key))
        #expect(stored["metadata"]?["annotations"]?["kubectl.kubernetes.io/last-applied-configuration"] != nil)
        #expect(stored["metadata"]?["generation"] == 1)

        let changed = try fixture.write(
            "changed.yaml", Self.serviceEntryYAML.replacingOccurrences(of: "number: 8080", with: "number: 9090"))
        let configured = try await fixture.kubectl(["apply", "-f", changed])
        #expect(configured.status == 0, "\(configured.stderr)")
        #expect(configured.stdout.contains("serviceentry.networking.istio.io/payments configured"))
        let patched = try #require(fixture.simulator.store.object(key))
        #expect(patched["spec"]?["ports"]?.arrayValue?.first?["number"] == 9090)
        #expect(patched["metadata"]?["generation"] == 2)

        let writesBefore = fixture.simulator.writeLog.all.filter(\.changed).count
        let unchanged = try await fixture.kubectl(["apply", "-f", changed])
        #expect(unchanged.status == 0, "\(unchanged.stderr)")
        #expect(unchanged.stdout.contains("serviceentry.networking.istio.io/payments unchanged"))
        #expect(fixture.simulator.writeLog.all.filter(\.changed).count == writesBefore)
        #expect(fixture.simulator.store.object(key)?.resourceVersion == patched.resourceVersion)
    }

    @Test func deleteRemovesTheObject() async throws {
        let fixture = try await SimulatorFixture.start()
        defer { Task { await fixture.stop() } }
        try await fixture.seed(Objects.sePath, Objects.serviceEntry("doomed"))

        let result = try await fixture.kubectl(["delete", "serviceentry", "doomed", "-n", "default"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("serviceentry.networking.istio.io \"doomed\" deleted"))
        #expect(fixture.simulator.store.keys(group: "networking.istio.io", resource: "serviceentries").isEmpty)

        let missing = try await fixture.kubectl(["delete", "se", "doomed"])
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("serviceentries.networking.istio.io \"doomed\" not found"))
    }

    @Test func watchShowsAChangeMadeMeanwhile() async throws {
        let fixture = try await SimulatorFixture.start()
        defer { Task { await fixture.stop() } }
        try await fixture.seed(Objects.sePath, Objects.serviceEntry("existing"))
        let watcher = try fixture.kubectlInBackground(["get", "se", "-w", "-n", "default"])
        defer { watcher.terminate() }
        #expect(await watcher.waitForOutput { $0.contains("existing") })
        var watching = false
        for _ in 0..<100 where !watching {
            watching = fixture.simulator.store.openWatchCount > 0
            if !watching { try await Task.sleep(for: .milliseconds(100)) }
        }
        #expect(watching)

        try await fixture.seed(Objects.sePath, Objects.serviceEntry("newcomer", hosts: ["new.example.com"]))
        #expect(await watcher.waitForOutput { $0.contains("newcomer") }, "\(watcher.stdout)")
        watcher.terminate()
        _ = await watcher.wait()
    }

    @Test func getLeaseShowsTheHolder() async throws {
        let fixture = try await SimulatorFixture.start()
        defer { Task { await fixture.stop() } }
        try await fixture.seed(Objects.leasePath, Objects.lease("bridge-leader", holder: "pod-a_1234"))

        let result = try await fixture.kubectl(["get", "lease", "-n", "istio-system"])
        #expect(result.status == 0, "\(result.stderr)")
        let row = result.stdout.split(separator: "\n").dropFirst().first.map {
            $0.split(separator: " ", omittingEmptySubsequences: true)
        }
        #expect(row.map { Array($0.prefix(2)) } == ["bridge-leader", "pod-a_1234"])
    }

    @Test func namespacesCanBeCreatedLabelledAndDeletedWithTheirObjects() async throws {
        let fixture = try await SimulatorFixture.start()
        defer { Task { await fixture.stop() } }
        let created = try await fixture.kubectl(["create", "namespace", "demo"])
        #expect(created.status == 0, "\(created.stderr)")
        let labelled = try await fixture.kubectl(["label", "namespace", "demo", "team=payments"])
        #expect(labelled.status == 0, "\(labelled.stderr)")
        try await fixture.seed(
            "/apis/networking.istio.io/v1/namespaces/demo/serviceentries", Objects.serviceEntry("x", namespace: "demo"))
        let listed = try await fixture.kubectl(["get", "namespaces", "-l", "team=payments", "-o", "name"])
        #expect(listed.stdout == "namespace/demo\n", "\(listed.stderr)")

        let deleted = try await fixture.kubectl(["delete", "namespace", "demo"])
        #expect(deleted.status == 0, "\(deleted.stderr)")
        #expect(fixture.simulator.store.keys(group: "networking.istio.io", resource: "serviceentries").isEmpty)
        let protected = try await fixture.kubectl(["delete", "namespace", "default"])
        #expect(protected.stderr.contains("namespaces \"default\" is forbidden: this namespace may not be deleted"))
    }

    @Test func invalidServiceEntryIsRejectedWithTheApiserverMessage() async throws {
        let fixture = try await SimulatorFixture.start()
        defer { Task { await fixture.stop() } }
        let file = try fixture.write(
            "bad.yaml",
            """
            apiVersion: networking.istio.io/v1
            kind: ServiceEntry
            metadata:
              name: bad
            spec:
              hosts: [bad.example.com]
              resolution: STATIC
              workloadSelector:
                labels: {app: x}
              endpoints:
              - address: 10.0.0.1
            """)
        let result = try await fixture.kubectl(["apply", "-f", file])
        #expect(result.status != 0)
        #expect(
            result.stderr.contains(
                // kubectl rewrites the apiserver's `ServiceEntry.networking.istio.io "bad" is invalid: …` from the
                // Status details (kind, name, causes).
                "The ServiceEntry \"bad\" is invalid: spec: Invalid value: \"object\": only one of WorkloadSelector or Endpoints can be set"
            ), "\(result.stderr)")
        #expect(fixture.simulator.store.keys(group: "networking.istio.io", resource: "serviceentries").isEmpty)
    }

    @Test func kubectlAuthenticatesWithAClientCertificateOverTLS() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "kubesim-pki-\(UUID().uuidString)"
        ).path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let pki = try await TestPKI.make(in: directory)
        let fixture = try await SimulatorFixture.start(
            KubeSimulatorConfiguration(
                tls: .init(
                    certificatePath: pki.serverCertificate, privateKeyPath: pki.serverKey,
                    clientCAPath: pki.caCertificate)))
        defer { Task { await fixture.stop() } }
        let kubeconfig = fixture.simulator.kubeconfig(
            clientCertificatePath: pki.clientCertificate, clientKeyPath: pki.clientKey,
            certificateAuthorityPath: pki.caCertificate)
        let file = try fixture.write("objects.yaml", Self.serviceEntryYAML)

        let applied = try await fixture.kubectl(["apply", "--server-side", "-f", file], kubeconfig: kubeconfig)
        #expect(applied.status == 0, "\(applied.stderr)")
        #expect(fixture.simulator.writeLog.all.map(\.user).contains("alice"))

        // A certificate the client CA did not sign is refused during the TLS handshake.
        let rogue = try await run(
            "openssl",
            [
                "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout",
                pki.path("rogue.key"), "-out", pki.path("rogue.crt"), "-days", "1", "-subj", "/CN=mallory",
            ])
        #expect(rogue.status == 0, "\(rogue.stderr)")
        let refused = try await fixture.kubectl(
            ["apply", "--server-side", "-f", file],
            kubeconfig: fixture.simulator.kubeconfig(
                clientCertificatePath: pki.path("rogue.crt"), clientKeyPath: pki.path("rogue.key"),
                certificateAuthorityPath: pki.caCertificate))
        #expect(refused.status != 0)
        #expect(!fixture.simulator.writeLog.all.map(\.user).contains("mallory"))
    }

    @Test func kubectlAuthenticatesWithABearerTokenOverTLS() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "kubesim-pki-\(UUID().uuidString)"
        ).path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let pki = try await TestPKI.make(in: directory)
        let fixture = try await SimulatorFixture.start(
            KubeSimulatorConfiguration(
                tls: .init(certificatePath: pki.serverCertificate, privateKeyPath: pki.serverKey),
                tokens: ["s3cret": KubeUser(name: "system:serviceaccount:istio-system:bridge")]))
        defer { Task { await fixture.stop() } }
        try await fixture.seed(Objects.sePath, Objects.serviceEntry("token-visible"))

        let allowed = try await fixture.kubectl(
            ["get", "se", "-o", "name"],
            kubeconfig: fixture.simulator.kubeconfig(token: "s3cret", certificateAuthorityPath: pki.caCertificate))
        #expect(allowed.status == 0, "\(allowed.stderr)")
        #expect(allowed.stdout.contains("serviceentry.networking.istio.io/token-visible"))

        let denied = try await fixture.kubectl(
            ["get", "se"],
            kubeconfig: fixture.simulator.kubeconfig(token: "wrong", certificateAuthorityPath: pki.caCertificate))
        #expect(denied.status != 0)
        #expect(
            denied.stderr.contains("Unauthorized") || denied.stderr.contains("provide credentials"), "\(denied.stderr)")
    }
}
