import BridgeKernel
import Foundation
import Testing

/// Three `bridge` processes with leader election against one `bridge-sim kube`: exactly one writes, and
/// leadership moves on kill -9, on a partition (with fencing) and on SIGTERM (with release). Every claim is checked
/// in the simulator's write log.
@Suite(.serialized) struct LeaderElectionEndToEndTests {
    /// A running simulator and its admin API.
    struct Cluster {
        let process: RunningBridge
        let kubeconfig: String
        let server: String

        static func start(in directory: String) async throws -> Cluster {
            let kubeconfig = "\(directory)/kubeconfig"
            let process = try RunningBridge(
                arguments: ["kube", "--port", "0", "--write-kubeconfig", kubeconfig], executable: Tools.bridgeSim)
            _ = await process.waitForLine(containing: "kubeconfig written")
            let text = try String(contentsOfFile: kubeconfig, encoding: .utf8)
            let server = text.split(separator: "\n").first { $0.contains("server:") }.map {
                String($0.split(separator: " ").last ?? "")
            }
            return Cluster(process: process, kubeconfig: kubeconfig, server: try #require(server))
        }

        func request(_ method: String, _ path: String, _ body: String? = nil) throws -> JSONValue {
            var arguments = ["-s", "-X", method, server + path]
            if let body { arguments += ["-H", "Content-Type: application/json", "-d", body] }
            let result = try Tools.run("curl", arguments)
            return (try? JSONValue.parse(result.stdout)) ?? .null
        }

        /// The lease holder's process id (identities are `host_pid`), or nil when free.
        func leaseHolder() throws -> Int32? {
            let lease = try request("GET", "/apis/coordination.k8s.io/v1/namespaces/default/leases/meshbridge")
            guard let holder = lease["spec"]?["holderIdentity"]?.stringValue, !holder.isEmpty else { return nil }
            return holder.split(separator: "_").last.flatMap { Int32($0) }
        }

        /// The bridges' writes to Istio objects, oldest first, as (time, pid of the writing process, name).
        func istioWrites() throws -> [(time: String, pid: Int32, name: String)] {
            try writes().filter {
                ["serviceentries", "workloadentries"].contains($0["resource"]?.stringValue ?? "")
                    && ($0["userAgent"]?.stringValue ?? "").hasPrefix("meshbridge/")
            }.map {
                (
                    $0["time"]?.stringValue ?? "", Self.pid(from: $0["userAgent"]?.stringValue ?? ""),
                    $0["name"]?.stringValue ?? ""
                )
            }
        }

        /// Lease writes, oldest first, as (time, pid of the writing process).
        func leaseWrites() throws -> [(time: String, pid: Int32)] {
            try writes().filter { $0["resource"]?.stringValue == "leases" }.map {
                ($0["time"]?.stringValue ?? "", Self.pid(from: $0["userAgent"]?.stringValue ?? ""))
            }
        }

        func writes() throws -> [JSONValue] {
            try request("GET", "/__sim/writes")["items"]?.arrayValue ?? []
        }

        /// `meshbridge/cluster (host_123)` → 123.
        static func pid(from userAgent: String) -> Int32 {
            let inner = userAgent.split(separator: "(").last?.split(separator: ")").first ?? ""
            return inner.split(separator: "_").last.flatMap { Int32($0) } ?? -1
        }
    }

    /// Seconds between two simulator timestamps (`2026-01-02T03:04:05.123456Z`).
    static func seconds(from start: String, to end: String) throws -> Double {
        func parse(_ text: String) throws -> Double {
            let parts = text.dropLast().split(separator: ".")
            let formatter = ISO8601DateFormatter()
            let whole = try #require(formatter.date(from: String(parts[0]) + "Z"))
            let fraction = parts.count > 1 ? Double("0." + parts[1]) ?? 0 : 0
            return whole.timeIntervalSince1970 + fraction
        }
        return try parse(end) - parse(start)
    }

    func config(directory: String, replica: Int) -> String {
        StaticConfigFixture.yaml(
            directory: "gitops-\(replica)",
            extraSinks: """
                  - type: istio
                    name: cluster
                    kubeconfig: kubeconfig
                leaderElection:
                  kubeconfig: kubeconfig
                  name: meshbridge
                  leaseDuration: 4s
                  renewDeadline: 2500ms
                  retryPeriod: 500ms
                """)
    }

    @Test func exactlyOneReplicaWritesAndLeadershipMovesSafely() async throws {
        let directory = try temporaryDirectory("election")
        let cluster = try await Cluster.start(in: directory)
        defer { cluster.process.process.terminate() }
        let namespace = try Tools.run(
            "kubectl", ["--kubeconfig", cluster.kubeconfig, "create", "namespace", "mesh-registry"])
        try #require(namespace.status == 0, "\(namespace.stderr)")
        var replicas: [Int32: RunningBridge] = [:]
        for replica in 0..<3 {
            let path = "\(directory)/bridge-\(replica).yaml"
            try config(directory: directory, replica: replica).write(toFile: path, atomically: true, encoding: .utf8)
            let process = try RunningBridge(arguments: ["--config", path])
            replicas[process.process.processIdentifier] = process
        }
        defer { for process in replicas.values where process.process.isRunning { process.process.terminate() } }

        // 1. One leader; it alone writes the 8 objects (live and GitOps alike); followers write nothing.
        var leader: Int32 = -1
        try await eventually("a leader writes every object") {
            leader = try cluster.leaseHolder() ?? -1
            return try cluster.istioWrites().count >= 8
        }
        let firstWriters = Set(try cluster.istioWrites().map(\.pid))
        #expect(firstWriters == [leader], "writers \(firstWriters), leader \(leader)")
        let gitopsDirectories = try FileManager.default.contentsOfDirectory(atPath: directory).filter {
            $0.hasPrefix("gitops-")
        }
        #expect(gitopsDirectories.count == 1, "only the leader's file sink wrote: \(gitopsDirectories)")

        // 2. kill -9 of the leader: another replica takes over and repairs a deletion made meanwhile.
        kill(leader, SIGKILL)
        replicas[leader]?.process.waitUntilExit()
        replicas[leader] = nil
        let deleted = try Tools.run(
            "kubectl",
            ["--kubeconfig", cluster.kubeconfig, "delete", "se", "orders.shop.production", "-n", "mesh-registry"])
        #expect(deleted.status == 0, "\(deleted.stderr)")
        var second: Int32 = -1
        try await eventually("a follower takes over after the leader was killed") {
            second = try cluster.leaseHolder() ?? -1
            return second != leader && second > 0
        }
        try await eventually("the new leader restores the deleted ServiceEntry") {
            try cluster.istioWrites().contains { $0.pid == second && $0.name == "orders.shop.production" }
        }
        #expect(replicas[second] != nil)
        // Takeover bound (from the simulator's clock): the killed leader's last renewal → the new leader's
        // acquisition is at most leaseDuration (4 s) + retryPeriod (0.5 s) with its jitter, plus slack for a loaded
        // CI machine.
        let killedLastRenewal = try #require(try cluster.leaseWrites().last { $0.pid == leader }?.time)
        let secondAcquired = try #require(try cluster.leaseWrites().first { $0.pid == second }?.time)
        let takeover = try Self.seconds(from: killedLastRenewal, to: secondAcquired)
        #expect(takeover > 3.5 && takeover < 4.6 + 2.5, "takeover after kill -9 took \(takeover) s")

        // 3. The new leader is cut off from the lease (its sink connection still works): it must stop writing
        //    before the third replica acquires — checked by deleting objects continually and reading who wrote.
        _ = try cluster.request(
            "POST", "/__sim/faults", #"{"action":"drop","resources":["leases"],"userAgentContains":"_\#(second))"}"#)
        var third: Int32 = -1
        let churn = Task {
            while !Task.isCancelled {
                _ = try? Tools.run(
                    "kubectl",
                    ["--kubeconfig", cluster.kubeconfig, "delete", "se", "inventory.warehouse", "-n", "mesh-registry"])
                try? await Task.sleep(for: .milliseconds(200))
            }
        }
        try await eventually("the third replica acquires while the second is cut off", limit: .seconds(30)) {
            third = try cluster.leaseHolder() ?? -1
            return third != second && third > 0
        }
        try await eventually("the third replica repairs drift") {
            try cluster.istioWrites().contains { $0.pid == third }
        }
        churn.cancel()
        _ = try cluster.request("DELETE", "/__sim/faults")
        let acquiredByThird = try cluster.leaseWrites().first { $0.pid == third }?.time ?? ""
        let writesBySecondAfterTakeover = try cluster.istioWrites().filter {
            $0.pid == second && $0.time >= acquiredByThird
        }
        #expect(writesBySecondAfterTakeover.isEmpty, "split brain: \(writesBySecondAfterTakeover)")

        // 4. SIGTERM of the leader: it releases the lease and the remaining replica takes over well before the
        //    lease would have expired.
        let leaseWritesBefore = try cluster.leaseWrites().count
        #expect(await replicas[third]?.terminate() == 0)
        replicas[third] = nil
        try await eventually("the last replica takes over after the release") {
            try cluster.leaseHolder() == second
        }
        let lease = try cluster.request("GET", "/apis/coordination.k8s.io/v1/namespaces/default/leases/meshbridge")
        #expect(lease["spec"]?["leaseTransitions"]?.intValue ?? 0 >= 3)
        let handover = try cluster.leaseWrites().dropFirst(leaseWritesBefore)
        #expect(handover.contains { $0.pid == third }, "the leaving leader wrote its release")
        let released = try #require(handover.last { $0.pid == third }?.time)
        let reacquired = try #require(handover.first { $0.pid == second }?.time)
        let handoverSeconds = try Self.seconds(from: released, to: reacquired)
        #expect(handoverSeconds < 4, "takeover after SIGTERM took \(handoverSeconds) s, not well before expiry")

        // The replica that was cut off logged that it stopped writing when it could not renew in time.
        let survivor = try #require(replicas[second])
        #expect(await survivor.terminate() == 0)
        #expect(survivor.log.contains { $0.contains("could not renew the lease within renewDeadline") })
    }
}

/// Polls `condition` until it holds; fails the test after `limit` (a generous bound, not a timing assertion).
func eventually(
    _ what: String, limit: Duration = .seconds(20), sourceLocation: SourceLocation = #_sourceLocation,
    _ condition: () async throws -> Bool
) async throws {
    let deadline = ContinuousClock.now + limit
    while ContinuousClock.now < deadline {
        if try await condition() { return }
        try await Task.sleep(for: .milliseconds(100))
    }
    Issue.record("gave up waiting: \(what)", sourceLocation: sourceLocation)
}
