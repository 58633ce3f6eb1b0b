import BridgeKernel
import Foundation
import KubeSimulator
import KubernetesAPI
import SinkIstio
import Synchronization
import Testing

/// The `istio` sink against the Kubernetes API simulator over loopback: what it writes, and how often.
@Suite struct LiveSyncTests {
    @Test func initialSyncCreatesEveryServiceEntryAndWorkloadEntry() async throws {
        let cluster = try await ClusterFixture.start()
        defer { Task { await cluster.stop() } }
        var registry = RegistryModel()
        let state = registry.snapshot([Services.make("cart", instances: 2), Services.make("orders", instances: 3)])

        let report = try await cluster.sink().apply(state)

        #expect(report.created == 7, "\(report)")
        #expect(report.failures.isEmpty && report.rejected.isEmpty, "\(report)")
        let entries = await cluster.objects(ClusterFixture.serviceEntries)
        let workloads = await cluster.objects(ClusterFixture.workloadEntries)
        #expect(Set(entries.keys) == ["cart.shop.production", "orders.shop.production"])
        #expect(workloads.count == 5)
        for object in state.allObjects {
            let stored = (object.kind == "ServiceEntry" ? entries : workloads)[object.name]
            #expect(stored?["spec"] == object.document["spec"], "\(object)")
            #expect(stored?["metadata"]?["labels"] == object.document["metadata"]?["labels"])
        }
        #expect(cluster.bridgeWrites().allSatisfy { $0.verb == "apply" && $0.fieldManager == "meshbridge" })
    }

    @Test func unchangedPushAndRestartMakeNoWrites() async throws {
        let cluster = try await ClusterFixture.start()
        defer { Task { await cluster.stop() } }
        var registry = RegistryModel()
        let state = registry.snapshot([Services.make("cart"), Services.make("orders")])
        _ = try await cluster.sink().apply(state)
        let writesAfterSync = cluster.simulator.writeLog.all.count

        let sink = cluster.sink()
        let first = try await sink.apply(state)
        let second = try await sink.apply(state)

        #expect(first.writes == 0 && second.writes == 0, "\(first) / \(second)")
        #expect(first.unchanged == 6 && second.unchanged == 6)
        #expect(cluster.simulator.writeLog.all.count == writesAfterSync)
    }

    @Test func oneChangedInstanceMakesExactlyOneWrite() async throws {
        let cluster = try await ClusterFixture.start()
        defer { Task { await cluster.stop() } }
        var registry = RegistryModel()
        let sink = cluster.sink()
        _ = try await sink.apply(registry.snapshot([Services.make("cart", instances: 3), Services.make("orders")]))
        cluster.simulator.writeLog.clear()

        var changed = Services.make("cart", instances: 3)
        changed.instances[1].endpoints[0] = Endpoint(scheme: "rest", host: "10.9.9.9", port: 8080)
        let report = try await sink.apply(registry.upsert(changed))

        #expect(report.updated == 1 && report.created == 0 && report.deleted == 0, "\(report)")
        let writes = cluster.bridgeWrites()
        #expect(writes.count == 1)
        #expect(writes.first?.key.resource == "workloadentries" && writes.first?.changed == true)
        let workload = await cluster.objects(ClusterFixture.workloadEntries)[writes.first?.key.name ?? ""]
        #expect(workload?["spec"]?["address"] == "10.9.9.9")
    }

    @Test func theObserverHearsOfEveryWriteWithTheObjectsPath() async throws {
        let cluster = try await ClusterFixture.start()
        defer { Task { await cluster.stop() } }
        let records = Mutex<[KubernetesClient.RequestRecord]>([])
        let sink = cluster.sink(observer: { record in records.withLock { $0.append(record) } })
        var registry = RegistryModel()
        _ = try await sink.apply(registry.snapshot([Services.make("cart", instances: 1)]))
        let writes = records.withLock { $0 }.filter { $0.method == "PATCH" }
        #expect(writes.count == 2)
        #expect(writes.allSatisfy { (200..<300).contains($0.status ?? 0) })
        #expect(
            Set(writes.map(\.path)) == [
                "/apis/networking.istio.io/v1/namespaces/istio-system/serviceentries/cart.shop.production",
                "/apis/networking.istio.io/v1/namespaces/istio-system/workloadentries/cart.shop.production.cart-0",
            ])
    }

    @Test func aPushTheSinkNeverSawIsStillWrittenWithTheNextOne() async throws {
        let cluster = try await ClusterFixture.start()
        defer { Task { await cluster.stop() } }
        var registry = RegistryModel()
        let sink = cluster.sink()
        _ = try await sink.apply(registry.snapshot([Services.make("cart", instances: 2), Services.make("orders")]))
        cluster.simulator.writeLog.clear()

        // Push 2 changes cart but never reaches this sink (say, it was cancelled); push 3 changes orders only.
        var cart = Services.make("cart", instances: 2)
        cart.instances[0].endpoints[0] = Endpoint(scheme: "rest", host: "10.8.8.8", port: 8080)
        let missed = registry.upsert(cart)
        var orders = Services.make("orders")
        orders.instances[0].endpoints[0] = Endpoint(scheme: "rest", host: "10.7.7.7", port: 8080)
        let next = registry.upsert(orders)
        #expect(next.revision == missed.revision + 1 && !next.changed.contains { $0.hasPrefix("cart") })
        let report = try await sink.apply(next)

        #expect(report.updated == 2, "\(report)")
        let addresses = await cluster.objects(ClusterFixture.workloadEntries).values.compactMap {
            $0["spec"]?["address"]?.stringValue
        }
        #expect(Set(addresses).isSuperset(of: ["10.8.8.8", "10.7.7.7"]))
    }

    @Test func removedServiceIsPrunedOnlyWhenEverySourceIsSyncedAndHealthy() async throws {
        let cluster = try await ClusterFixture.start()
        defer { Task { await cluster.stop() } }
        var registry = RegistryModel()
        let sink = cluster.sink()
        let orders = Services.make("orders")
        _ = try await sink.apply(registry.snapshot([Services.make("cart"), orders]))

        // During an outage nothing is deleted, even when a service disappears.
        _ = try await sink.apply(registry.outage())
        let held = try await sink.apply(registry.remove(orders.key))
        #expect(held.deleted == 0)
        #expect(await cluster.objects(ClusterFixture.serviceEntries).count == 2)

        // After a complete, healthy listing the leftovers go: the ServiceEntry and its two WorkloadEntries.
        let pruned = try await sink.apply(registry.snapshot([Services.make("cart")]))
        #expect(pruned.deleted == 3, "\(pruned)")
        #expect(Set(await cluster.objects(ClusterFixture.serviceEntries).keys) == ["cart.shop.production"])
        #expect(await cluster.objects(ClusterFixture.workloadEntries).count == 2)
    }

    @Test func foreignObjectWithTheSameNameIsLeftAloneAndReported() async throws {
        let cluster = try await ClusterFixture.start()
        defer { Task { await cluster.stop() } }
        let foreign: JSONValue = [
            "apiVersion": "networking.istio.io/v1", "kind": "ServiceEntry",
            "metadata": ["name": "cart.shop.production", "namespace": "istio-system", "labels": ["team": "payments"]],
            "spec": ["hosts": ["cart.example.com"], "resolution": "DNS", "ports": [["name": "https", "number": 443]]],
        ]
        let (code, seeded) = await cluster.simulator.perform("POST", ClusterFixture.serviceEntries, body: foreign)
        try #require(code == 201)
        var registry = RegistryModel()

        let sink = cluster.sink()
        let report = try await sink.apply(registry.snapshot([Services.make("cart"), Services.make("orders")]))

        #expect(report.rejected.count == 1, "\(report)")
        #expect(report.rejected.first?.contains("ServiceEntry istio-system/cart.shop.production") == true)
        #expect(report.rejected.first?.contains("not managed by MeshBridge") == true)
        let stored = await cluster.objects(ClusterFixture.serviceEntries)["cart.shop.production"]
        #expect(stored?["metadata"]?["resourceVersion"] == seeded?["metadata"]?["resourceVersion"])
        #expect(stored?["spec"]?["hosts"] == ["cart.example.com"])
        #expect(report.created == 5, "the other objects still converge: \(report)")
        // The clash is reported once, not on every push, and even pruning never deletes the foreign object.
        let again = try await sink.apply(registry.snapshot([Services.make("orders")]))
        #expect(again.rejected.isEmpty && again.failures.isEmpty, "\(again)")
        #expect(await cluster.objects(ClusterFixture.serviceEntries)["cart.shop.production"] != nil)
    }

    @Test func invalidObjectIsRejectedWithTheAPIMessageWhileTheRestConverge() async throws {
        let cluster = try await ClusterFixture.start()
        defer { Task { await cluster.stop() } }
        var registry = RegistryModel()
        var state = registry.snapshot([Services.make("cart")])
        // A ServiceEntry the CRD rules refuse: port 70000.
        let invalid = ManifestObject(
            apiVersion: "networking.istio.io/v1", kind: "ServiceEntry", namespace: "istio-system", name: "broken",
            document: [
                "apiVersion": "networking.istio.io/v1", "kind": "ServiceEntry",
                "metadata": [
                    "name": "broken", "namespace": "istio-system",
                    "labels": ["app.kubernetes.io/managed-by": "meshbridge"],
                ],
                "spec": ["hosts": ["broken.example"], "ports": [["name": "http", "number": 70000]]],
            ])
        state.groups["broken"] = ObjectGroup(
            id: "broken", service: ServiceKey(source: "registry", app: "x", name: "broken"), objects: [invalid])

        let sink = cluster.sink()
        let report = try await sink.apply(state)

        #expect(report.created == 3, "\(report)")
        #expect(report.failures.isEmpty)
        #expect(report.rejected.count == 1)
        let line = report.rejected.first ?? ""
        #expect(line.contains("ServiceEntry istio-system/broken") && line.contains("422"), "\(line)")
        #expect(line.contains("port must be between 1-65535"), "\(line)")
        // Refused content is not sent again on the next push.
        let writes = cluster.simulator.writeLog.all.count
        let again = try await sink.apply(state)
        #expect(again.writes == 0 && again.rejected.isEmpty)
        #expect(cluster.simulator.writeLog.all.count == writes)
    }

    @Test func throttlingAndServerErrorStormsAreRiddenOutWithNothingLost() async throws {
        let cluster = try await ClusterFixture.start()
        defer { Task { await cluster.stop() } }
        cluster.simulator.faults.add(
            Fault(.throttle(retryAfterSeconds: 1), match: .init(methods: ["PATCH"]), count: 6, fraction: 0.5))
        cluster.simulator.faults.add(
            Fault(.error(code: 500, retryAfterSeconds: nil), match: .init(methods: ["PATCH"]), count: 6, fraction: 0.5))
        cluster.simulator.faults.add(
            Fault(.error(code: 503, retryAfterSeconds: 1), match: .init(methods: ["GET"]), count: 2))
        var registry = RegistryModel()
        let services = (0..<6).map { Services.make("svc-\($0)", instances: 2, firstAddress: 10 * $0 + 1) }

        let report = try await cluster.sink().apply(registry.snapshot(services))

        #expect(report.failures.isEmpty && report.rejected.isEmpty, "\(report)")
        #expect(report.created == 18)
        #expect(await cluster.objects(ClusterFixture.serviceEntries).count == 6)
        #expect(await cluster.objects(ClusterFixture.workloadEntries).count == 12)
        #expect(cluster.simulator.faults.faults.isEmpty, "every injected fault was hit")
    }

    @Test func dryRunReportsThePlanAndWritesNothing() async throws {
        let cluster = try await ClusterFixture.start()
        defer { Task { await cluster.stop() } }
        var registry = RegistryModel()
        let report = try await cluster.sink { $0.dryRun = true }.apply(registry.snapshot([Services.make("cart")]))

        #expect(report.dryRun && report.created == 3, "\(report)")
        #expect(report.description.hasPrefix("dry run"))
        #expect(cluster.simulator.writeLog.all.isEmpty)
        #expect(await cluster.objects(ClusterFixture.serviceEntries).isEmpty)
    }
}
