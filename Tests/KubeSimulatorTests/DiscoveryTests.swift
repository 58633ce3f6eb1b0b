import BridgeKernel
import Foundation
import KubeSimulator
import Testing

/// Discovery and OpenAPI documents.
@Suite("discovery")
struct DiscoveryTests {
    static let aggregatedAccept =
        "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json"

    @Test func aggregatedDiscoveryIsChosenByTheAcceptHeader() async throws {
        let fixture = try await SimulatorFixture.start()
        defer { Task { await fixture.stop() } }
        let aggregated = try await fixture.http.get("/apis", accept: Self.aggregatedAccept)
        #expect(
            aggregated.values("Content-Type") == [
                "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList"
            ])
        let groups = aggregated.json?["items"]?.arrayValue ?? []
        let istio = try #require(groups.first { $0["metadata"]?["name"] == "networking.istio.io" })
        #expect(
            istio["versions"]?.arrayValue?.compactMap { $0["version"]?.stringValue } == ["v1", "v1beta1", "v1alpha3"])
        let serviceEntries = istio["versions"]?.arrayValue?.first?["resources"]?.arrayValue?.first {
            $0["resource"] == "serviceentries"
        }
        #expect(serviceEntries?["shortNames"] == ["se"])
        #expect(serviceEntries?["categories"] == ["istio-io", "networking-istio-io"])
        #expect(serviceEntries?["scope"] == "Namespaced")

        let legacy = try await fixture.http.get("/apis", accept: "application/json")
        #expect(legacy.json?["kind"] == "APIGroupList")
        #expect(legacy.values("Content-Type") == ["application/json"])
    }

    @Test func legacyResourceListsCarryStorageVersionHashes() async throws {
        let fixture = try await SimulatorFixture.start()
        defer { Task { await fixture.stop() } }
        let istio = try await fixture.http.get("/apis/networking.istio.io/v1")
        let resources = istio.json?["resources"]?.arrayValue ?? []
        #expect(resources.first { $0["name"] == "serviceentries" }?["storageVersionHash"] == "uwV2awIxHZ8=")
        #expect(resources.first { $0["name"] == "workloadentries" }?["storageVersionHash"] == "TCCKGA06viw=")
        #expect(resources.contains { $0["name"] == "serviceentries/status" })
        let leases = try await fixture.http.get("/apis/coordination.k8s.io/v1")
        #expect(leases.json?["resources"]?.arrayValue?.first?["storageVersionHash"] == "gqkMMb/YqFM=")
        let version = try await fixture.http.get("/version")
        #expect(version.json?["gitVersion"] == "v1.32.0")
    }

    @Test func openAPIV3AdvertisesFieldValidationOnEveryKindsPatch() async throws {
        let fixture = try await SimulatorFixture.start()
        defer { Task { await fixture.stop() } }
        let root = try await fixture.http.get("/openapi/v3")
        let reference = try #require(
            root.json?["paths"]?["apis/networking.istio.io/v1"]?["serverRelativeURL"]?.stringValue)
        let document = try await fixture.http.get(reference)
        #expect(document.status == 200)
        let patch = document.json?["paths"]?[
            "/apis/networking.istio.io/v1/namespaces/{namespace}/serviceentries/{name}"]?["patch"]
        #expect(
            patch?["x-kubernetes-group-version-kind"] == [
                "group": "networking.istio.io", "version": "v1", "kind": "ServiceEntry",
            ])
        #expect(patch?["parameters"]?.arrayValue?.contains { $0["name"] == "fieldValidation" } == true)
        #expect(patch?["requestBody"]?["content"]?["application/strategic-merge-patch+json"] == nil)
    }
}
