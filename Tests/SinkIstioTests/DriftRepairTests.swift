import BridgeKernel
import Foundation
import KubeSimulator
import KubernetesAPI
import SinkIstio
import Testing

/// Objects changed in the cluster behind the bridge's back are put back.
@Suite struct DriftRepairTests {
    @Test(arguments: [IstioSinkSettings.DriftRepair.watch, .relist])
    func kubectlDeleteAndEditOfManagedObjectsAreRepaired(mode: IstioSinkSettings.DriftRepair) async throws {
        let cluster = try await ClusterFixture.start()
        defer { Task { await cluster.stop() } }
        let sink = cluster.sink {
            $0.driftRepair = mode
            $0.relistInterval = .milliseconds(200)
        }
        let background = Task { try await sink.run() }
        defer { background.cancel() }
        var registry = RegistryModel()
        let state = registry.snapshot([Services.make("cart"), Services.make("orders")])
        _ = try await sink.apply(state)
        let wanted = state.allObjects.first { $0.name == "cart.shop.production" }!

        // A person deletes a managed ServiceEntry with the real kubectl.
        let deleted = try await cluster.kubectl([
            "delete", "serviceentry", "cart.shop.production", "-n", "istio-system",
        ])
        #expect(deleted.status == 0, "\(deleted.output)")
        try await eventually("the deleted ServiceEntry is restored") {
            await cluster.objects(ClusterFixture.serviceEntries)["cart.shop.production"]?["spec"]
                == wanted.document["spec"]
        }

        // A person edits the hosts of another one.
        let patched = try await cluster.kubectl([
            "patch", "serviceentry", "orders.shop.production", "-n", "istio-system", "--type=merge", "-p",
            #"{"spec":{"hosts":["hijacked.example.com"]}}"#,
        ])
        #expect(patched.status == 0, "\(patched.output)")
        try await eventually("the edited ServiceEntry is restored") {
            await cluster.objects(ClusterFixture.serviceEntries)["orders.shop.production"]?["spec"]?["hosts"]
                == ["orders.shop.production.svc"]
        }

        // Repairs are the only writes: the untouched objects were not rewritten. (The simulator logs a write just
        // after storing it, so under load the log can trail the object by a moment: wait for it.)
        try await eventually("the write log holds exactly the two repairs") {
            Set(cluster.bridgeWrites().suffix(from: 6).map(\.key.name))
                == ["cart.shop.production", "orders.shop.production"]
        }
    }

    @Test func driftIsStillRepairedAfterBackgroundWorkWasStoppedAndStartedAgain() async throws {
        // A replica that stops leading has its background work cancelled; when it leads again, it runs again.
        let cluster = try await ClusterFixture.start()
        defer { Task { await cluster.stop() } }
        let sink = cluster.sink()
        var registry = RegistryModel()
        _ = try await sink.apply(registry.snapshot([Services.make("cart")]))
        let first = Task { try await sink.run() }
        first.cancel()
        _ = try? await first.value

        // Deleted while nobody watched, then the work starts again.
        let (code, _) = await cluster.simulator.perform(
            "DELETE", ClusterFixture.serviceEntries + "/cart.shop.production")
        try #require(code == 200)
        let second = Task { try await sink.run() }
        defer { second.cancel() }
        try await eventually("the ServiceEntry deleted between the runs is restored") {
            await cluster.objects(ClusterFixture.serviceEntries)["cart.shop.production"] != nil
        }
        // And a deletion during the second run too.
        let deleted = try await cluster.kubectl(["delete", "se", "cart.shop.production", "-n", "istio-system"])
        #expect(deleted.status == 0, "\(deleted.output)")
        try await eventually("the ServiceEntry deleted during the second run is restored") {
            cluster.bridgeWrites().filter { $0.key.name == "cart.shop.production" }.count == 3
        }
    }

    @Test func objectsAPersonAddsWithTheBridgesLabelArePrunedButForeignOnesAreNot() async throws {
        let cluster = try await ClusterFixture.start()
        defer { Task { await cluster.stop() } }
        let sink = cluster.sink()
        let background = Task { try await sink.run() }
        defer { background.cancel() }
        var registry = RegistryModel()
        _ = try await sink.apply(registry.snapshot([Services.make("cart")]))

        for (name, labels) in [
            ("stray", ["app.kubernetes.io/managed-by": "meshbridge"] as JSONValue), ("theirs", ["team": "a"]),
        ] {
            let object: JSONValue = [
                "apiVersion": "networking.istio.io/v1", "kind": "ServiceEntry",
                "metadata": ["name": .string(name), "namespace": "istio-system", "labels": labels],
                "spec": ["hosts": [.string("\(name).example.com")], "resolution": "DNS"],
            ]
            let (code, _) = await cluster.simulator.perform("POST", ClusterFixture.serviceEntries, body: object)
            try #require(code == 201)
        }
        try await eventually("the stray object with the bridge's label is deleted") {
            await cluster.objects(ClusterFixture.serviceEntries)["stray"] == nil
        }
        #expect(await cluster.objects(ClusterFixture.serviceEntries)["theirs"] != nil)
    }
}
