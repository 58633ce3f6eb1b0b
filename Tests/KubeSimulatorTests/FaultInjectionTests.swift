import BridgeKernel
import Foundation
import KubeSimulator
import Testing

/// Injected faults, the partition switch, the write log and the admin API.
@Suite("fault injection")
struct FaultInjectionTests {
    @Test func throttleAnswersPlainText429WithRetryAfterForTheGivenNumberOfRequests() async throws {
        let fixture = try await SimulatorFixture.start()
        defer { Task { await fixture.stop() } }
        fixture.simulator.faults.add(Fault(.throttle(retryAfterSeconds: 3), count: 2))
        var codes: [Int] = []
        for _ in 0..<3 {
            let response = try await fixture.http.get(Objects.sePath)
            codes.append(response.status)
            if response.status == 429 {
                #expect(response.text == "Too many requests, please try again later.\n")
                #expect(response.values("Retry-After") == ["3"])
            }
        }
        #expect(codes == [429, 429, 200])
    }

    @Test func fractionalFaultsHitEveryNthMatchingRequest() async throws {
        let fixture = try await SimulatorFixture.start()
        defer { Task { await fixture.stop() } }
        fixture.simulator.faults.add(
            Fault(.error(code: 500, retryAfterSeconds: nil), match: .init(methods: ["GET"]), fraction: 0.5))
        var codes: [Int] = []
        for _ in 0..<4 { codes.append(try await fixture.http.get(Objects.sePath).status) }
        #expect(codes == [200, 500, 200, 500])
        let storm = try await fixture.http.get(Objects.sePath)
        #expect(storm.status == 200)
        let failing = try await fixture.http.get(Objects.sePath)
        #expect(failing.json?["reason"] == "InternalError")
        #expect(failing.json?["code"] == 500)
        let write = try await fixture.http.request(.POST, Objects.sePath, json: Objects.serviceEntry("x"))
        #expect(write.status == 201)
    }

    @Test func droppedConnectionsAndPartitionsGiveNoAnswer() async throws {
        let fixture = try await SimulatorFixture.start()
        defer { Task { await fixture.stop() } }
        fixture.simulator.faults.add(Fault(.dropConnection, match: .init(resources: ["leases"]), count: 1))
        await #expect(throws: (any Error).self) { _ = try await fixture.http.get(Objects.leasePath) }
        #expect(try await fixture.http.get(Objects.leasePath).status == 200)

        let partition = try await fixture.http.request(.PUT, "/__sim/partition", json: ["partitioned": true])
        #expect(partition.status == 200)
        await #expect(throws: (any Error).self) { _ = try await fixture.http.get("/version") }
        let faults = try await fixture.http.get("/__sim/faults")
        #expect(faults.json?["partitioned"] == true)
        fixture.simulator.faults.setPartitioned(false)
        #expect(try await fixture.http.get("/version").status == 200)
    }

    @Test func faultsCanBeInjectedOverTheAdminPath() async throws {
        let fixture = try await SimulatorFixture.start()
        defer { Task { await fixture.stop() } }
        let added = try await fixture.http.request(
            .POST, "/__sim/faults",
            json: ["action": "error", "code": 503, "retryAfterSeconds": 2, "count": 1, "methods": ["PUT"]])
        #expect(added.status == 201)
        let created = try await fixture.seed(Objects.leasePath, Objects.lease("l", holder: "a"))
        let refused = try await fixture.http.request(.PUT, Objects.leasePath + "/l", json: created)
        #expect(refused.status == 503)
        #expect(refused.values("Retry-After") == ["2"])
        #expect(refused.json?["reason"] == "ServiceUnavailable")
        let accepted = try await fixture.http.request(.PUT, Objects.leasePath + "/l", json: created)
        #expect(accepted.status == 200)
        let cleared = try await fixture.http.request(.DELETE, "/__sim/faults")
        #expect(cleared.json?["faults"] == [])
    }

    @Test func theWriteLogRecordsEveryWriteWithIdentityAndRevision() async throws {
        let fixture = try await SimulatorFixture.start()
        defer { Task { await fixture.stop() } }
        var client = fixture.http
        client.headers = [("User-Agent", "replica-a/1.0")]
        let created = try await client.request(.POST, Objects.sePath, json: Objects.serviceEntry("x"))
        let deleted = try await client.request(.DELETE, Objects.sePath + "/x")
        #expect(deleted.status == 200)
        let log = try await fixture.http.get("/__sim/writes")
        let items = log.json?["items"]?.arrayValue ?? []
        #expect(items.map { $0["verb"]?.stringValue ?? "" } == ["create", "delete"])
        #expect(items.first?["userAgent"] == "replica-a/1.0")
        #expect(items.first?["fieldManager"] == "replica-a")
        #expect(items.first?["resourceVersion"] == .string(created.json?.resourceVersion ?? ""))
        #expect(items.first?["name"] == "x")
        #expect(fixture.simulator.writeLog.all.last?.resourceVersion == fixture.simulator.store.revision)
        let count = try await fixture.http.get("/__sim/writes/count").json
        #expect(count?["total"] == 2)
        #expect(count?["byResource"] == ["serviceentries": 2])
    }
}
