import BridgeKernel
import Foundation
import KubeSimulator
import Testing

/// Lists with selectors and chunking, and server-side apply over HTTP.
@Suite("lists, selectors and server-side apply")
struct SelectorsAndApplyTests {
    private func names(_ fixture: SimulatorFixture, _ query: String) async throws -> [String] {
        let response = try await fixture.http.get(Objects.sePath + "?" + query)
        #expect(response.status == 200, "\(response.text)")
        return response.json?["items"]?.arrayValue?.compactMap { $0["metadata"]?["name"]?.stringValue } ?? []
    }

    @Test func labelSelectorsSupportEveryOperator() async throws {
        let fixture = try await SimulatorFixture.start()
        defer { Task { await fixture.stop() } }
        try await fixture.seed(Objects.sePath, Objects.serviceEntry("a", labels: ["tier": "gold", "app": "pay"]))
        try await fixture.seed(Objects.sePath, Objects.serviceEntry("b", labels: ["tier": "silver"]))
        try await fixture.seed(Objects.sePath, Objects.serviceEntry("c"))

        #expect(try await names(fixture, "labelSelector=tier%3Dgold") == ["a"])
        #expect(try await names(fixture, "labelSelector=tier%3D%3Dsilver") == ["b"])
        #expect(try await names(fixture, "labelSelector=tier!%3Dgold") == ["b", "c"])
        #expect(try await names(fixture, "labelSelector=tier%20in%20(gold,silver)") == ["a", "b"])
        #expect(try await names(fixture, "labelSelector=tier%20notin%20(gold)") == ["b", "c"])
        #expect(try await names(fixture, "labelSelector=tier") == ["a", "b"])
        #expect(try await names(fixture, "labelSelector=!tier") == ["c"])
        #expect(try await names(fixture, "labelSelector=tier,app%3Dpay") == ["a"])
        #expect(try await names(fixture, "fieldSelector=metadata.name%3Db") == ["b"])
        #expect(
            try await names(fixture, "fieldSelector=metadata.name!%3Db,metadata.namespace%3Ddefault") == ["a", "c"])

        let bad = try await fixture.http.get(Objects.sePath + "?fieldSelector=spec.x%3Dy")
        #expect(bad.status == 400)
        #expect(
            bad.json?["message"]
                == "\"spec.x\" is not a known field selector: only \"metadata.name\", \"metadata.namespace\"")
    }

    @Test func limitAndContinueReturnEveryObjectOnceInChunks() async throws {
        let fixture = try await SimulatorFixture.start()
        defer { Task { await fixture.stop() } }
        for name in ["a", "b", "c", "d", "e"] { try await fixture.seed(Objects.sePath, Objects.serviceEntry(name)) }
        var collected: [String] = []
        var token = ""
        var pages = 0
        repeat {
            let response = try await fixture.http.get(
                Objects.sePath + "?limit=2" + (token.isEmpty ? "" : "&continue=\(token)"))
            let page = try #require(response.json)
            collected += page["items"]?.arrayValue?.compactMap { $0["metadata"]?["name"]?.stringValue } ?? []
            token = page["metadata"]?["continue"]?.stringValue ?? ""
            pages += 1
        } while !token.isEmpty && pages < 10
        #expect(collected == ["a", "b", "c", "d", "e"])
        #expect(pages == 3)
    }

    @Test func serverSideApplyConflictNamesTheOwningManagerAndForceTakesOwnership() async throws {
        let fixture = try await SimulatorFixture.start()
        defer { Task { await fixture.stop() } }
        let path = Objects.sePath + "/x"
        let apply = "application/apply-patch+yaml"
        let first = try await fixture.http.request(
            .PATCH, path + "?fieldManager=bridge", json: Objects.serviceEntry("x"), contentType: apply)
        #expect(first.status == 201)
        #expect(
            first.json?["metadata"]?["managedFields"]?.arrayValue?.first?["fieldsV1"]?["f:spec"]?["f:ports"]?[
                "k:{\"name\":\"http\"}"]
                == [".": [:], "f:name": [:], "f:number": [:], "f:protocol": [:]])

        let again = try await fixture.http.request(
            .PATCH, path + "?fieldManager=bridge", json: Objects.serviceEntry("x"), contentType: apply)
        #expect(again.status == 200)
        #expect(again.json?.resourceVersion == first.json?.resourceVersion)

        let other = Objects.serviceEntry("x", hosts: ["other.example.com"])
        let conflict = try await fixture.http.request(
            .PATCH, path + "?fieldManager=ops", json: other, contentType: apply)
        #expect(conflict.status == 409)
        #expect(
            conflict.json
                == [
                    "kind": "Status", "apiVersion": "v1", "metadata": [:], "status": "Failure",
                    "message": "Apply failed with 1 conflict: conflict with \"bridge\": .spec.hosts",
                    "reason": "Conflict",
                    "details": [
                        "causes": [
                            [
                                "reason": "FieldManagerConflict", "message": "conflict with \"bridge\"",
                                "field": ".spec.hosts",
                            ]
                        ]
                    ],
                    "code": 409,
                ])

        let forced = try await fixture.http.request(
            .PATCH, path + "?fieldManager=ops&force=true", json: other, contentType: apply)
        #expect(forced.status == 200)
        #expect(forced.json?["spec"]?["hosts"] == ["other.example.com"])
        let back = try await fixture.http.request(
            .PATCH, path + "?fieldManager=bridge", json: Objects.serviceEntry("x"), contentType: apply)
        #expect(back.json?["message"] == "Apply failed with 1 conflict: conflict with \"ops\": .spec.hosts")
    }

    @Test func serverSideApplyRemovesFieldsTheManagerStoppedApplying() async throws {
        let fixture = try await SimulatorFixture.start()
        defer { Task { await fixture.stop() } }
        let path = Objects.sePath + "/x?fieldManager=bridge"
        let apply = "application/apply-patch+yaml"
        var object = Objects.serviceEntry("x", labels: ["keep": "yes", "drop": "yes"])
        object["spec"]?["exportTo"] = ["."]
        #expect(try await fixture.http.request(.PATCH, path, json: object, contentType: apply).status == 201)
        let labelled = try await fixture.http.request(
            .PATCH, Objects.sePath + "/x?fieldManager=someone", body: #"{"metadata":{"labels":{"theirs":"yes"}}}"#,
            contentType: "application/merge-patch+json")
        #expect(labelled.status == 200)

        let reduced = Objects.serviceEntry("x", labels: ["keep": "yes"])
        let response = try await fixture.http.request(.PATCH, path, json: reduced, contentType: apply)
        #expect(response.status == 200)
        #expect(response.json?["metadata"]?["labels"] == ["keep": "yes", "theirs": "yes"])
        #expect(response.json?["spec"]?["exportTo"] == nil)
        #expect(response.json?["metadata"]?["generation"] == 2)
    }

    @Test func applyRequiresAFieldManagerAndTheURLVersion() async throws {
        let fixture = try await SimulatorFixture.start()
        defer { Task { await fixture.stop() } }
        let apply = "application/apply-patch+yaml"
        let noManager = try await fixture.http.request(
            .PATCH, Objects.sePath + "/x", json: Objects.serviceEntry("x"), contentType: apply)
        #expect(noManager.status == 422)
        #expect(
            noManager.json?["message"]
                == "PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required for apply patch"
        )
        var beta = Objects.serviceEntry("x")
        beta["apiVersion"] = "networking.istio.io/v1beta1"
        let wrongVersion = try await fixture.http.request(
            .PATCH, Objects.sePath + "/x?fieldManager=m", json: beta, contentType: apply)
        #expect(wrongVersion.status == 400)
        #expect(
            wrongVersion.json?["message"]
                == "Incorrect version specified in apply patch. Specified patch version: networking.istio.io/v1beta1, expected: networking.istio.io/v1"
        )
        let force = try await fixture.http.request(
            .PATCH, Objects.sePath + "/x?force=true", body: "{}", contentType: "application/merge-patch+json")
        #expect(force.status == 422)
        #expect(
            force.json?["message"]
                == "PatchOptions.meta.k8s.io \"\" is invalid: force: Forbidden: may not be specified for non-apply patch"
        )
    }
}
