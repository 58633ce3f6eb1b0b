import BridgeKernel
import HTTPTypes
import ServiceCenterSimulator
import Testing

/// §4: RBAC token flow.
@Suite struct RBACTests {
    private let registry = SimulatorHarness.registry
    private let rbac = RBACSettings(userName: "root", password: "S3cret!")

    private func bearer(_ token: String) -> HTTPFields {
        var headers = HTTPFields()
        headers[.authorization] = "Bearer \(token)"
        return headers
    }

    private func login(_ sim: SimulatorHarness, expiration: String? = nil) async throws -> String {
        let extra = expiration.map { #","tokenExpirationTime":"\#($0)""# } ?? ""
        let answer = try await sim.post("/v4/token", #"{"name":"root","password":"S3cret!"\#(extra)}"#)
        #expect(answer.status == 200)
        return try #require(answer.json["token"]?.stringValue)
    }

    @Test func missingAuthorizationHeaderIs401204ExceptOnVersionAndHealth() async throws {
        try await SimulatorHarness.with(rbac: rbac) { (sim) async throws in
            let answer = try await sim.get("\(registry)/microservices")
            #expect(answer.status == 401)
            #expect(answer.body == #"{"errorCode":"401204","errorMessage":"No authorization header"}"#)
            #expect(try await sim.get("\(registry)/version").status == 200)
            #expect(try await sim.get("\(registry)/health").status == 200)
            #expect(try await sim.get("/version").status == 200)
            // Routing comes first: unknown routes stay Go's 404.
            #expect(try await sim.get("/nope").status == 404)
        }
    }

    @Test func tokenFromLoginGrantsAccess() async throws {
        try await SimulatorHarness.with(rbac: rbac) { (sim) async throws in
            let token = try await login(sim)
            #expect(token.split(separator: ".").count == 3)
            let answer = try await sim.get("\(registry)/microservices", headers: bearer(token))
            #expect(answer.status == 200)
            #expect(answer.body == "{}")
        }
    }

    @Test func wrongPasswordIs401202() async throws {
        try await SimulatorHarness.with(rbac: rbac) { (sim) async throws in
            let answer = try await sim.post("/v4/token", #"{"name":"root","password":"nope"}"#)
            #expect(answer.status == 401)
            #expect(answer.json["errorCode"]?.stringValue == "401202")
        }
    }

    @Test func malformedOrForeignTokensAre401201() async throws {
        try await SimulatorHarness.with(rbac: rbac) { (sim) async throws in
            var noSpace = HTTPFields()
            noSpace[.authorization] = "Bearer"
            let header = try await sim.get("\(registry)/microservices", headers: noSpace)
            #expect(header.json["errorCode"]?.stringValue == "401201")
            #expect(header.json["detail"]?.stringValue == "invalid auth header")
            let foreign = try await sim.get("\(registry)/microservices", headers: bearer("a.b.c"))
            #expect(foreign.json["errorCode"]?.stringValue == "401201")
        }
    }

    @Test func tokenExpiresAfterTokenExpirationTimeWith401205() async throws {
        try await SimulatorHarness.with(rbac: rbac) { (sim) async throws in
            let token = try await login(sim, expiration: "15m")
            #expect(try await sim.get("\(registry)/microservices", headers: bearer(token)).status == 200)
            sim.clock.advance(by: .seconds(15 * 60))
            #expect(try await sim.get("\(registry)/microservices", headers: bearer(token)).status == 200)
            sim.clock.advance(by: .seconds(1))
            let expired = try await sim.get("\(registry)/microservices", headers: bearer(token))
            #expect(expired.status == 401)
            #expect(expired.body == #"{"errorCode":"401205","errorMessage":"Token is expired"}"#)
        }
    }

    @Test func defaultTokenLivesTwelveHours() async throws {
        try await SimulatorHarness.with(rbac: rbac) { (sim) async throws in
            let token = try await login(sim)
            sim.clock.advance(by: .seconds(12 * 3600))
            #expect(try await sim.get("\(registry)/microservices", headers: bearer(token)).status == 200)
            sim.clock.advance(by: .seconds(1))
            #expect(try await sim.get("\(registry)/microservices", headers: bearer(token)).status == 401)
        }
    }

    @Test func tokenExpirationTimeOutside15mTo24hIs400001() async throws {
        try await SimulatorHarness.with(rbac: rbac) { (sim) async throws in
            for value in ["10m", "25h", "soon"] {
                let answer = try await sim.post(
                    "/v4/token",
                    #"{"name":"root","password":"S3cret!","tokenExpirationTime":"\#(value)"}"#
                )
                #expect(answer.json["errorCode"]?.stringValue == "400001", "value \(value)")
            }
        }
    }

    @Test func watchUpgradeNeedsTokenToo() async throws {
        try await SimulatorHarness.with(rbac: rbac) { (sim) async throws in
            let token = try await login(sim)
            let consumer =
                try await sim.post(
                    "\(registry)/microservices",
                    #"{"service":{"appId":"shop","serviceName":"web"}}"#,
                    headers: bearer(token)
                ).json["serviceId"]?.stringValue ?? ""
            let refused = try await RawWebSocket.connect(port: sim.port, path: sim.watchPath(consumer))
            #expect(refused.handshakeStatus == 401)
            let accepted = try await RawWebSocket.connect(
                port: sim.port,
                path: sim.watchPath(consumer),
                headers: [("Authorization", "Bearer \(token)")]
            )
            #expect(accepted.handshakeStatus == 101)
            try await eventually("the socket is registered") { sim.simulator.openWatchSocketCount == 1 }
            await accepted.close()
            await refused.close()
        }
    }
}
