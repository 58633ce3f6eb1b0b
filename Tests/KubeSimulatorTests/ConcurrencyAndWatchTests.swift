import BridgeKernel
import Foundation
import KubeSimulator
import Testing

/// Optimistic concurrency, resourceVersion rules and watch streams over real sockets.
@Suite("resourceVersion and watch semantics")
struct ConcurrencyAndWatchTests {
    @Test func putWithStaleResourceVersionIsAConflictWithTheExactStatus() async throws {
        let fixture = try await SimulatorFixture.start()
        defer { Task { await fixture.stop() } }
        let created = try await fixture.seed(Objects.sePath, Objects.serviceEntry("x"))
        var update = created
        update["spec"]?["hosts"] = ["b.example.com"]
        let first = try await fixture.http.request(.PUT, Objects.sePath + "/x", json: update)
        #expect(first.status == 200)
        #expect(first.json?.resourceVersion != created.resourceVersion)

        let stale = try await fixture.http.request(.PUT, Objects.sePath + "/x", json: update)
        #expect(stale.status == 409)
        #expect(
            stale.json
                == [
                    "kind": "Status", "apiVersion": "v1", "metadata": [:], "status": "Failure",
                    "message":
                        "Operation cannot be fulfilled on serviceentries.networking.istio.io \"x\": the object has been modified; please apply your changes to the latest version and try again",
                    "reason": "Conflict",
                    "details": ["name": "x", "group": "networking.istio.io", "kind": "serviceentries"], "code": 409,
                ])
    }

    @Test func racingCompareAndSwapWritesLetExactlyOneWin() async throws {
        let fixture = try await SimulatorFixture.start()
        defer { Task { await fixture.stop() } }
        let created = try await fixture.seed(Objects.leasePath, Objects.lease("leader", holder: "a"))
        let codes = try await withThrowingTaskGroup(of: Int.self) { group in
            for holder in ["b", "c", "d", "e"] {
                var update = created
                update["spec"]?["holderIdentity"] = .string(holder)
                group.addTask {
                    try await fixture.http.request(.PUT, Objects.leasePath + "/leader", json: update).status
                }
            }
            return try await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(codes.sorted() == [200, 409, 409, 409])
    }

    @Test func putWithoutResourceVersionIsInvalid() async throws {
        let fixture = try await SimulatorFixture.start()
        defer { Task { await fixture.stop() } }
        try await fixture.seed(Objects.sePath, Objects.serviceEntry("x"))
        let response = try await fixture.http.request(.PUT, Objects.sePath + "/x", json: Objects.serviceEntry("x"))
        #expect(response.status == 422)
        #expect(
            response.json?["message"]
                == "serviceentries.networking.istio.io \"x\" is invalid: metadata.resourceVersion: Invalid value: 0x0: must be specified for an update"
        )
    }

    @Test func createWithResourceVersionIsAnInternalError() async throws {
        let fixture = try await SimulatorFixture.start()
        defer { Task { await fixture.stop() } }
        var object = Objects.serviceEntry("x")
        object["metadata"]?["resourceVersion"] = "5"
        let response = try await fixture.http.request(.POST, Objects.sePath, json: object)
        #expect(response.status == 500)
        #expect(
            response.json
                == [
                    "kind": "Status", "apiVersion": "v1", "metadata": [:], "status": "Failure",
                    "message": "resourceVersion should not be set on objects to be created", "code": 500,
                ])
    }

    @Test func noOpUpdateKeepsTheResourceVersionAndEmitsNoEvent() async throws {
        let fixture = try await SimulatorFixture.start()
        defer { Task { await fixture.stop() } }
        let created = try await fixture.seed(Objects.sePath, Objects.serviceEntry("x"))
        let (status, events) = try await fixture.http.watch(
            Objects.sePath + "?watch=1&resourceVersion=\(created.resourceVersion)")
        #expect(status == 200)

        let same = try await fixture.http.request(.PUT, Objects.sePath + "/x", json: created)
        #expect(same.status == 200)
        #expect(same.json?.resourceVersion == created.resourceVersion)
        let samePatch = try await fixture.http.request(
            .PATCH, Objects.sePath + "/x", body: #"{"spec":{"location":"MESH_INTERNAL"}}"#,
            contentType: "application/merge-patch+json")
        #expect(samePatch.json?.resourceVersion == created.resourceVersion)

        let changed = try await fixture.http.request(
            .PATCH, Objects.sePath + "/x", body: #"{"metadata":{"labels":{"tier":"gold"}}}"#,
            contentType: "application/merge-patch+json")
        #expect(changed.status == 200)
        var iterator = events.makeAsyncIterator()
        let first = try #require(try await iterator.next())
        #expect(first["type"] == "MODIFIED")
        #expect(first["object"]?.resourceVersion == changed.json?.resourceVersion)
        #expect(first["object"]?["metadata"]?["labels"]?["tier"] == "gold")
        #expect(fixture.simulator.writeLog.all.map(\.changed) == [true, false, false, true])
    }

    @Test func watchStreamsAddedModifiedAndDeletedWithTheDeletionRevision() async throws {
        let fixture = try await SimulatorFixture.start()
        defer { Task { await fixture.stop() } }
        let existing = try await fixture.seed(Objects.sePath, Objects.serviceEntry("old"))
        let (status, events) = try await fixture.http.watch(Objects.sePath + "?watch=true")
        #expect(status == 200)
        var iterator = events.makeAsyncIterator()
        let synthetic = try #require(try await iterator.next())
        #expect(synthetic["type"] == "ADDED")
        #expect(synthetic["object"]?.resourceVersion == existing.resourceVersion)

        let created = try await fixture.seed(Objects.sePath, Objects.serviceEntry("new"))
        let deleted = try await fixture.http.request(.DELETE, Objects.sePath + "/old")
        #expect(deleted.status == 200)
        #expect(deleted.json?["status"] == "Success")
        #expect(deleted.json?["details"]?["kind"] == "serviceentries")

        let added = try #require(try await iterator.next())
        #expect(added["type"] == "ADDED")
        #expect(added["object"]?["metadata"]?["name"] == "new")
        let gone = try #require(try await iterator.next())
        #expect(gone["type"] == "DELETED")
        #expect(gone["object"]?["metadata"]?["name"] == "old")
        #expect(Int(gone["object"]?.resourceVersion ?? "") == Int(created.resourceVersion)! + 1)
        #expect(fixture.simulator.store.revision == Int64(gone["object"]?.resourceVersion ?? "")!)
    }

    @Test func watchFromACompactedRevisionEndsWithExpired() async throws {
        let fixture = try await SimulatorFixture.start()
        defer { Task { await fixture.stop() } }
        let first = try await fixture.seed(Objects.sePath, Objects.serviceEntry("a"))
        try await fixture.seed(Objects.sePath, Objects.serviceEntry("b"))
        fixture.simulator.store.compactHistory()
        let (status, events) = try await fixture.http.watch(
            Objects.sePath + "?watch=1&resourceVersion=\(first.resourceVersion)")
        #expect(status == 200)
        var received: [JSONValue] = []
        for try await event in events { received.append(event) }
        #expect(received.count == 1)
        #expect(received.first?["type"] == "ERROR")
        #expect(received.first?["object"]?["code"] == 410)
        #expect(received.first?["object"]?["reason"] == "Expired")
        #expect(
            received.first?["object"]?["message"]
                == .string(
                    "too old resource version: \(first.resourceVersion) (\(fixture.simulator.store.compactedRevision))")
        )
    }

    @Test func watchWithALabelSelectorTurnsSelectionChangesIntoAddedAndDeleted() async throws {
        let fixture = try await SimulatorFixture.start()
        defer { Task { await fixture.stop() } }
        let created = try await fixture.seed(Objects.sePath, Objects.serviceEntry("x", labels: ["tier": "silver"]))
        let (_, events) = try await fixture.http.watch(
            Objects.sePath + "?watch=1&labelSelector=tier%3Dgold&resourceVersion=\(created.resourceVersion)")
        for tier in ["gold", "gold-plus", "silver"] {
            let response = try await fixture.http.request(
                .PATCH, Objects.sePath + "/x", body: #"{"metadata":{"labels":{"tier":"\#(tier)"}}}"#,
                contentType: "application/merge-patch+json")
            #expect(response.status == 200)
        }
        try await fixture.seed(Objects.sePath, Objects.serviceEntry("y", labels: ["tier": "gold"]))
        var iterator = events.makeAsyncIterator()
        var seen: [String] = []
        for _ in 0..<3 {
            let event = try #require(try await iterator.next())
            seen.append(
                "\(event["type"]?.stringValue ?? "") \(event["object"]?["metadata"]?["name"]?.stringValue ?? "")")
        }
        #expect(seen == ["ADDED x", "DELETED x", "ADDED y"])
    }

    @Test func watchEndsAfterTimeoutSecondsAndSendsRequestedBookmarks() async throws {
        let fixture = try await SimulatorFixture.start()
        defer { Task { await fixture.stop() } }
        let created = try await fixture.seed(Objects.sePath, Objects.serviceEntry("x"))
        let (_, events) = try await fixture.http.watch(
            Objects.sePath
                + "?watch=1&allowWatchBookmarks=true&timeoutSeconds=1&resourceVersion=\(created.resourceVersion)")
        for _ in 0..<100 where fixture.simulator.store.openWatchCount == 0 {
            try await Task.sleep(for: .milliseconds(10))
        }
        fixture.simulator.sendBookmarks()
        var received: [JSONValue] = []
        for try await event in events { received.append(event) }
        #expect(received.first?["type"] == "BOOKMARK")
        #expect(received.first?["object"]?.resourceVersion == created.resourceVersion)
        #expect(received.first?["object"]?["kind"] == "ServiceEntry")
    }

    @Test func objectsOfAllServedVersionsAreOneStoreWithRewrittenAPIVersion() async throws {
        let fixture = try await SimulatorFixture.start()
        defer { Task { await fixture.stop() } }
        try await fixture.seed(Objects.sePath, Objects.serviceEntry("x"))
        let beta = try await fixture.http.get("/apis/networking.istio.io/v1beta1/namespaces/default/serviceentries/x")
        #expect(beta.status == 200)
        #expect(beta.json?["apiVersion"] == "networking.istio.io/v1beta1")
        let alphaList = try await fixture.http.get("/apis/networking.istio.io/v1alpha3/serviceentries")
        #expect(alphaList.json?["kind"] == "ServiceEntryList")
        #expect(alphaList.json?["items"]?.arrayValue?.first?["apiVersion"] == "networking.istio.io/v1alpha3")
    }

    @Test func generationChangesOnlyWithTheSpec() async throws {
        let fixture = try await SimulatorFixture.start()
        defer { Task { await fixture.stop() } }
        let created = try await fixture.seed(Objects.sePath, Objects.serviceEntry("x"))
        #expect(created["metadata"]?["generation"] == 1)
        #expect(created["metadata"]?["uid"]?.stringValue?.isEmpty == false)
        let labelled = try await fixture.http.request(
            .PATCH, Objects.sePath + "/x", body: #"{"metadata":{"labels":{"a":"b"}}}"#,
            contentType: "application/merge-patch+json")
        #expect(labelled.json?["metadata"]?["generation"] == 1)
        let statusOnly = try await fixture.http.request(
            .PATCH, Objects.sePath + "/x", body: #"{"status":{"note":"ignored on the main resource"}}"#,
            contentType: "application/merge-patch+json")
        #expect(statusOnly.json?["status"] == nil)
        #expect(statusOnly.json?.resourceVersion == labelled.json?.resourceVersion)
        let specChange = try await fixture.http.request(
            .PATCH, Objects.sePath + "/x", body: #"[{"op":"replace","path":"/spec/hosts/0","value":"c.example.com"}]"#,
            contentType: "application/json-patch+json")
        #expect(specChange.json?["metadata"]?["generation"] == 2)
        #expect(specChange.json?["spec"]?["hosts"] == ["c.example.com"])
    }

    @Test func listAtAFutureResourceVersionTimesOutAndAtACompactedExactOneExpires() async throws {
        let fixture = try await SimulatorFixture.start()
        defer { Task { await fixture.stop() } }
        let created = try await fixture.seed(Objects.sePath, Objects.serviceEntry("x"))
        let current = fixture.simulator.store.revision
        let future = try await fixture.http.get(Objects.sePath + "?resourceVersion=\(current + 10)")
        #expect(future.status == 504)
        #expect(future.json?["reason"] == "Timeout")
        #expect(
            future.json?["message"]
                == .string("Timeout: Too large resource version: \(current + 10), current: \(current)"))

        let notOlderThan = try await fixture.http.get(Objects.sePath + "?resourceVersion=\(created.resourceVersion)")
        #expect(notOlderThan.json?["metadata"]?["resourceVersion"] == .string(String(current)))
        try await fixture.seed(Objects.sePath, Objects.serviceEntry("y"))
        fixture.simulator.store.compactHistory()
        let exact = try await fixture.http.get(
            Objects.sePath + "?resourceVersion=\(created.resourceVersion)&resourceVersionMatch=Exact")
        #expect(exact.status == 410)
        #expect(exact.json?["reason"] == "Expired")
    }
}
