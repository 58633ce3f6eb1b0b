import BridgeKernel
import Foundation
import ServiceCenterSimulator
import SourceServiceCenter
import Testing

@Suite(.timeLimit(.minutes(2))) struct ServiceCenterSourceTests {
    @Test func initialSyncCoversSeveralAppsAndEnvironments() async throws {
        let sc = try await SimulatorFixture.start()
        defer { Task { await sc.simulator.stop() } }
        let orders1 = try await sc.service("shop", "orders", version: "1.0.0", environment: "production")
        let orders2 = try await sc.service("shop", "orders", version: "1.1.0", environment: "production")
        let ordersTest = try await sc.service("shop", "orders", environment: "testing")
        let billing = try await sc.service("finance", "billing")
        let a = try await sc.instance(orders1, ["rest://10.0.0.1:8080"])
        let b = try await sc.instance(orders2, ["rest://10.0.0.2:8080"])
        let c = try await sc.instance(ordersTest, ["rest://10.0.1.1:8080"])
        let d = try await sc.instance(billing, ["grpc://10.0.2.1:9090"])

        let probe = SourceProbe(settings: sc.settings())
        await probe.wait { $0.snapshots == 1 && $0.isHealthy }
        #expect(probe.services.count == 3)
        #expect(probe.instanceIds("shop", "orders", environment: "production") == [a, b].sorted())
        #expect(probe.instanceIds("shop", "orders", environment: "testing") == [c])
        #expect(probe.instanceIds("finance", "billing") == [d])
        #expect(probe.instance(b)?.version == "1.1.0")
        #expect(!probe.services.keys.contains { $0.name == "SERVICECENTER" || $0.name == "meshbridge-watcher" })
        #expect(probe.services.keys.allSatisfy { $0.domain == "default/default" && $0.source == "sc" })
        // One watcher consumer per (environment, app).
        #expect(sc.simulator.requestCount("POST", "/v4/:project/registry/microservices") == 3)
        await probe.stop()
    }

    @Test func socketsThatOpenBeforeTheirFindDoNotMakeTheInitialSyncFindTwice() async throws {
        let sc = try await SimulatorFixture.start()
        defer { Task { await sc.simulator.stop() } }
        let apps = (0..<10).map { "app\($0)" }
        for app in apps {
            let service = try await sc.service(app, "orders")
            try await sc.instance(service, ["rest://10.0.0.1:8080"])
        }
        // Slow watcher registrations give every socket (but perhaps the last) time to open before the finds,
        // which follow all registrations.
        sc.simulator.faults.addLatency(
            .milliseconds(100), matching: RequestMatcher(method: "POST", route: "/v4/:project/registry/microservices"))
        let probe = SourceProbe(settings: sc.settings())
        await probe.wait { $0.snapshots == 1 && $0.isHealthy }
        while sc.simulator.openWatchSocketCount < apps.count { try await Task.sleep(for: .milliseconds(5)) }
        // Two more listings: the connect signals were handled and any find they asked for has run.
        let listings = sc.simulator.requestCount("GET", "/v4/:project/registry/microservices")
        while sc.simulator.requestCount("GET", "/v4/:project/registry/microservices") < listings + 2 {
            try await Task.sleep(for: .milliseconds(5))
        }
        let finds = sc.simulator.requestCount("POST", "/v4/:project/registry/instances/action")
        // Each scope is found once; finding again after every socket opened would make it 20.
        #expect(finds >= apps.count && finds <= apps.count + 1, "\(finds) finds for \(apps.count) scopes")
        #expect(probe.services.count == apps.count)
        await probe.stop()
    }

    @Test func instanceChangesAndLeaseExpiryReachTheOutput() async throws {
        let sc = try await SimulatorFixture.start()
        defer { Task { await sc.simulator.stop() } }
        let orders = try await sc.service("shop", "orders", environment: "production")
        let first = try await sc.instance(orders, ["rest://10.0.0.1:8080"])
        let probe = SourceProbe(settings: sc.settings())
        await probe.wait { $0.instance(first) != nil }

        let second = try await sc.instance(orders, ["rest://10.0.0.2:8080"])
        await probe.wait { $0.instance(second) != nil }
        try await sc.simulator.setInstanceStatus("DOWN", serviceId: orders, instanceId: first)
        await probe.wait { $0.instance(first)?.status == .down }
        try await sc.simulator.setInstanceProperties(["zone": "blue"], serviceId: orders, instanceId: second)
        await probe.wait { $0.instance(second)?.metadata["zone"] == "blue" }
        try await sc.simulator.unregisterInstance(serviceId: orders, instanceId: first)
        await probe.wait { $0.instance(first) == nil }
        let expired = try await sc.simulator.advance(by: .seconds(3600))
        #expect(expired.map(\.instanceId) == [second])
        await probe.wait { $0.instance(second) == nil }
        #expect(probe.instanceIds("shop", "orders", environment: "production").isEmpty)
        await probe.stop()
    }

    @Test func watchEventsReachTheOutputWhileAListingIsHeldUp() async throws {
        let sc = try await SimulatorFixture.start()
        defer { Task { await sc.simulator.stop() } }
        let orders = try await sc.service("shop", "orders")
        let first = try await sc.instance(orders, ["rest://10.0.0.1:8080"])
        // Long enough that the held listing cannot time out (and the source turn unhealthy) before the event.
        let probe = SourceProbe(settings: sc.settings { $0.requestTimeout = .seconds(20) })
        await probe.wait { $0.instance(first) != nil && $0.isHealthy }
        // Service Center sends no initial state on a socket: only events after it opened reach it.
        while sc.simulator.openWatchSocketCount == 0 { try await Task.sleep(for: .milliseconds(5)) }

        // The next poll's listing does not get its answer until released.
        sc.simulator.faults.holdRequests(
            matching: RequestMatcher(method: "GET", route: "/v4/:project/registry/microservices"))
        while sc.simulator.faults.heldRequestCount == 0 { try await Task.sleep(for: .milliseconds(5)) }
        let second = try await sc.instance(orders, ["rest://10.0.0.2:8080"])
        await probe.wait { $0.instance(second) != nil }
        #expect(probe.isHealthy, "the event arrived while the listing was still in flight")

        // Polls go on once the listing is answered: a service that appears is listed and found.
        sc.simulator.faults.releaseHeldRequests()
        let billing = try await sc.service("finance", "billing")
        let third = try await sc.instance(billing, ["rest://10.0.1.1:8080"])
        await probe.wait { $0.instance(third) != nil }
        await probe.stop()
    }

    @Test func servicesThatLeaveOrChangeInTheListingReachTheOutputWithoutAFullRebuild() async throws {
        let sc = try await SimulatorFixture.start()
        defer { Task { await sc.simulator.stop() } }
        let orders = try await sc.service("shop", "orders")
        let billing = try await sc.service("finance", "billing")
        _ = try await sc.instance(orders, ["rest://10.0.0.1:8080"])
        let kept = try await sc.instance(billing, ["rest://10.0.0.2:8080"])
        let probe = SourceProbe(settings: sc.settings())
        await probe.wait { $0.snapshots == 1 }
        // A deleted service leaves only the listing (no instance event reaches a watcher of another app): the
        // next poll must remove it, and only it.
        try await sc.simulator.unregisterService(orders)
        await probe.wait { $0.removed.count == 1 }
        #expect(probe.removed.map(\.name) == ["orders"])
        #expect(probe.instance(kept) != nil)
        // A new version of a listed service shows up through the listing and its find.
        let billing2 = try await sc.service("finance", "billing", version: "2.0.0")
        let second = try await sc.instance(billing2, ["rest://10.0.0.3:8080"])
        await probe.wait { $0.instance(second)?.version == "2.0.0" }
        #expect(probe.instanceIds("finance", "billing") == [kept, second].sorted())
        await probe.stop()
    }

    @Test func aChangeTheWatchNeverDeliversArrivesWithTheResync() async throws {
        let sc = try await SimulatorFixture.start()
        defer { Task { await sc.simulator.stop() } }
        let orders = try await sc.service("shop", "orders")
        let instance = try await sc.instance(orders, ["rest://10.0.0.1:8080"])
        // No find records a dependency, so the watch socket never carries orders' events: only re-finds see them.
        sc.simulator.faults.loseDependencyRegistrations(forNextFinds: 1000)
        let probe = SourceProbe(settings: sc.settings { $0.resyncInterval = .milliseconds(300) })
        await probe.wait { $0.snapshots == 1 }
        // Let the watch socket connect and its connect-time find pass, so only a resync can see the change.
        while sc.simulator.openWatchSocketCount < 1
            || sc.simulator.requestCount("POST", "/v4/:project/registry/instances/action") < 2
        {
            try await Task.sleep(for: .milliseconds(10))
        }
        try await sc.simulator.setInstanceStatus("DOWN", serviceId: orders, instanceId: instance)
        await probe.wait { $0.instance(instance)?.status == .down }
        #expect(probe.instance(instance)?.status == .down)
        await probe.stop()
    }

    @Test func droppedWatchSocketsReconnectWithNothingLost() async throws {
        let sc = try await SimulatorFixture.start()
        defer { Task { await sc.simulator.stop() } }
        let orders = try await sc.service("shop", "orders")
        _ = try await sc.instance(orders, ["rest://10.0.0.1:8080"])
        let probe = SourceProbe(settings: sc.settings())
        await probe.wait { $0.snapshots == 1 }
        // A new instance of a known service arrives only through the watch socket (or its connect-time find).
        let viaWatch = try await sc.instance(orders, ["rest://10.0.0.3:8080"])
        await probe.wait { $0.instance(viaWatch) != nil }
        // Events while the socket is down, and one whose dependency registration is lost, must still arrive.
        sc.simulator.faults.refuseWatchSockets(.dropConnection)
        #expect(await sc.simulator.dropAllWatchSockets() == 1)
        let missed = try await sc.instance(orders, ["rest://10.0.0.2:8080"])
        sc.simulator.faults.refuseWatchSockets(nil)
        await probe.wait { $0.instance(missed) != nil }
        #expect(probe.removed.isEmpty)
        #expect(probe.isHealthy)
        await probe.stop()
    }

    @Test func outageMakesTheSourceUnhealthyWithoutRemovingAnything() async throws {
        let sc = try await SimulatorFixture.start()
        defer { Task { await sc.simulator.stop() } }
        let orders = try await sc.service("shop", "orders")
        let keep = try await sc.instance(orders, ["rest://10.0.0.1:8080"])
        let gone = try await sc.instance(orders, ["rest://10.0.0.2:8080"])
        let probe = SourceProbe(settings: sc.settings())
        await probe.wait { $0.snapshots == 1 && $0.isHealthy }

        await sc.simulator.goAway()
        await probe.wait { $0.health.map { !$0.isHealthy } == true }
        #expect(probe.instanceIds("shop", "orders") == [keep, gone].sorted())
        try await sc.simulator.unregisterInstance(serviceId: orders, instanceId: gone)
        try await sc.simulator.comeBack()
        await probe.wait { $0.isHealthy && $0.instance(gone) == nil }
        #expect(probe.instanceIds("shop", "orders") == [keep])
        #expect(probe.removed.isEmpty)

        sc.simulator.faults.failRequests()
        await probe.wait { $0.health.map { !$0.isHealthy } == true }
        if case .unhealthy(let reason)? = probe.health { #expect(reason.contains("500")) }
        #expect(probe.instanceIds("shop", "orders") == [keep])
        sc.simulator.faults.clear()
        await probe.wait { $0.isHealthy }
        #expect(probe.removed.isEmpty)
        await probe.stop()
    }

    @Test func restartedSourceConvergesToTheCurrentRegistry() async throws {
        let sc = try await SimulatorFixture.start()
        defer { Task { await sc.simulator.stop() } }
        let orders = try await sc.service("shop", "orders")
        let old = try await sc.instance(orders, ["rest://10.0.0.1:8080"])
        let first = SourceProbe(settings: sc.settings())
        await first.wait { $0.instance(old) != nil }
        await first.stop()
        // Shutdown unregisters the watcher consumer.
        #expect(sc.simulator.requestCount("DELETE", "/v4/:project/registry/microservices/:serviceId") == 1)

        try await sc.simulator.unregisterInstance(serviceId: orders, instanceId: old)
        let billing = try await sc.service("finance", "billing")
        let new = try await sc.instance(billing, ["rest://10.0.3.1:8080"])
        let second = SourceProbe(settings: sc.settings())
        await second.wait { $0.snapshots == 1 }
        #expect(second.instanceIds("shop", "orders").isEmpty)
        #expect(second.instanceIds("finance", "billing") == [new])
        await second.stop()
    }

    @Test func tokenAuthenticationRefreshesAnExpiredToken() async throws {
        let sc = try await SimulatorFixture.start(rbac: RBACSettings(password: "s3cret!"))
        defer { Task { await sc.simulator.stop() } }
        let orders = try await sc.service("shop", "orders")
        let first = try await sc.instance(orders, ["rest://10.0.0.1:8080"], keepAlive: true)
        let settings = sc.settings { $0.authentication = .account(user: "root", password: .init("s3cret!")) }
        let probe = SourceProbe(settings: settings)
        await probe.wait { $0.instance(first) != nil && $0.isHealthy }
        let logins = sc.simulator.requestCount("POST", "/v4/token")
        #expect(logins >= 1)

        sc.clock.advance(by: .seconds(13 * 3600))
        // A new service needs a listing and a find, so it can only arrive with a refreshed token.
        let payment = try await sc.service("shop", "payment")
        let second = try await sc.instance(payment, ["rest://10.0.0.2:8080"], keepAlive: true)
        await probe.wait { $0.instance(second) != nil }
        #expect(sc.simulator.requestCount("POST", "/v4/token") > logins)
        #expect(probe.isHealthy)
        await probe.stop()
    }

    @Test func wrongPasswordIsReportedAsUnhealthy() async throws {
        let sc = try await SimulatorFixture.start(rbac: RBACSettings(password: "right"))
        defer { Task { await sc.simulator.stop() } }
        let probe = SourceProbe(
            settings: sc.settings { $0.authentication = .account(user: "root", password: .init("not-the-password-7q")) }
        )
        // Under heavy load a first attempt can time out instead; the source keeps retrying, so wait for the
        // refused login (or a wrongly healthy source, which the guard below rejects).
        await probe.wait {
            if case .unhealthy(let reason) = $0.health { return reason.contains("401") }
            return $0.health?.isHealthy == true
        }
        guard case .unhealthy(let reason) = probe.health else {
            Issue.record("expected unhealthy, got \(String(describing: probe.health))")
            return
        }
        #expect(reason.contains("401"))
        #expect(!reason.contains("not-the-password-7q"))
        await probe.stop()
    }

    @Test func tlsWithTheTestCertificateAuthority() async throws {
        let sc = try await SimulatorFixture.start(
            tls: TLSSettings(certificateChainPath: tlsFixture("server.pem"), privateKeyPath: tlsFixture("server.key")))
        defer { Task { await sc.simulator.stop() } }
        let orders = try await sc.service("shop", "orders")
        let probe = SourceProbe(
            settings: sc.settings { $0.tls = .init(trustRoots: .file(path: tlsFixture("ca.pem"))) })
        await probe.wait { $0.snapshots == 1 }
        let added = try await sc.instance(orders, ["rest://10.0.0.9:8443?sslEnabled=true"])
        await probe.wait { $0.instance(added) != nil }
        #expect(probe.instance(added)?.endpoints.first?.tls == true)
        await probe.stop()
    }

    @Test func malformedInstancesAreSkippedWithoutBlockingOthers() async throws {
        let sc = try await SimulatorFixture.start()
        defer { Task { await sc.simulator.stop() } }
        let orders = try await sc.service("shop", "orders")
        let bad = try await sc.instance(orders, ["@@@@://"])
        let mixed = try await sc.instance(
            orders, ["@@@@://", "rest://[2001:db8::7]:8080", "rest://orders-1.example.com:8080"])
        let good = try await sc.instance(orders, ["rest://10.0.0.1:8080"])
        let probe = SourceProbe(settings: sc.settings())
        await probe.wait { $0.snapshots == 1 }
        #expect(probe.instanceIds("shop", "orders") == [mixed, good].sorted())
        #expect(probe.instance(bad) == nil)
        #expect(probe.instance(mixed)?.endpoints.map(\.host) == ["2001:db8::7", "orders-1.example.com"])
        await probe.stop()
    }
}
