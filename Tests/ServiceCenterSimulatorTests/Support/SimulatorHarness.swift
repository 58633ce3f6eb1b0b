import BridgeKernel
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import NIOSSL
import ServiceCenterSimulator

/// An HTTP answer as the tests inspect it.
struct HTTPResult: Sendable {
    var status: Int
    var headers: HTTPFields
    var body: String

    func header(_ name: String) -> String? { headers[HTTPField.Name(name)!] }

    /// The body as JSON (`.null` when it is not JSON).
    var json: JSONValue { (try? JSONValue.parse(body)) ?? .null }
}

/// A running simulator on an ephemeral loopback port with a manual clock and short watch timers, plus a raw HTTP
/// client (one fresh connection per request, like most registry clients).
struct SimulatorHarness: Sendable {
    let simulator: ServiceCenterSimulator
    let clock: ManualSimulatorClock
    let port: Int
    let tls: TLSConfiguration?

    static func start(
        watch: WatchSettings = WatchSettings(pingInterval: .seconds(60), readTimeout: .seconds(60)),
        rbac: RBACSettings? = nil,
        tls: TLSSettings? = nil,
        clientTLS: TLSConfiguration? = nil
    ) async throws -> SimulatorHarness {
        let clock = ManualSimulatorClock()
        let simulator = ServiceCenterSimulator(
            configuration: SimulatorConfiguration(
                port: 0,
                tls: tls,
                rbac: rbac,
                clock: clock,
                watch: watch,
                leaseSweepInterval: nil
            )
        )
        let port = try await simulator.start()
        return SimulatorHarness(simulator: simulator, clock: clock, port: port, tls: clientTLS)
    }

    /// Runs `body` against a fresh simulator and always stops it.
    static func with<T: Sendable>(
        watch: WatchSettings = WatchSettings(pingInterval: .seconds(60), readTimeout: .seconds(60)),
        rbac: RBACSettings? = nil,
        _ body: (SimulatorHarness) async throws -> T
    ) async throws -> T {
        let harness = try await start(watch: watch, rbac: rbac)
        do {
            let result = try await body(harness)
            await harness.simulator.stop()
            return result
        } catch {
            await harness.simulator.stop()
            throw error
        }
    }

    func request(
        _ method: HTTPRequest.Method,
        _ path: String,
        headers: HTTPFields = [:],
        body: String? = nil
    ) async throws -> HTTPResult {
        let response = try await TestClient.withClient(
            host: "127.0.0.1",
            port: port,
            // The test certificate names 127.0.0.1 and localhost; SNI cannot carry an IP address.
            configuration: .init(tlsConfiguration: tls, serverName: tls == nil ? nil : "localhost")
        ) { client in
            try await client.execute(
                TestClient.Request(path, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) })
            )
        }
        return HTTPResult(
            status: Int(response.status.code),
            headers: response.headers,
            body: response.body.map { String(buffer: $0) } ?? ""
        )
    }

    func get(_ path: String, headers: HTTPFields = [:]) async throws -> HTTPResult {
        try await request(.get, path, headers: headers)
    }

    func post(_ path: String, _ body: String, headers: HTTPFields = [:]) async throws -> HTTPResult {
        try await request(.post, path, headers: headers, body: body)
    }

    func put(_ path: String, _ body: String = "", headers: HTTPFields = [:]) async throws -> HTTPResult {
        try await request(.put, path, headers: headers, body: body)
    }

    func delete(_ path: String, headers: HTTPFields = [:]) async throws -> HTTPResult {
        try await request(.delete, path, headers: headers)
    }

    static let registry = "/v4/default/registry"

    /// Registers a service over REST and returns its id.
    func createService(
        appId: String,
        name: String,
        version: String = "1.0.0",
        environment: String = "",
        properties: [String: String] = [:]
    ) async throws -> String {
        var service: [String: JSONValue] = [
            "appId": .string(appId), "serviceName": .string(name), "version": .string(version),
        ]
        if !environment.isEmpty { service["environment"] = .string(environment) }
        if !properties.isEmpty { service["properties"] = .object(properties.mapValues(JSONValue.string)) }
        let answer = try await post(
            "\(Self.registry)/microservices",
            JSONValue.object(["service": .object(service)]).canonicalJSON
        )
        guard answer.status == 200, let id = answer.json["serviceId"]?.stringValue else {
            throw HarnessError(description: "creating service \(appId)/\(name) failed: \(answer.status) \(answer.body)")
        }
        return id
    }

    /// Registers an instance over REST and returns its id.
    func createInstance(serviceId: String, hostName: String, endpoints: [String], extra: String = "") async throws
        -> String
    {
        let endpointList = endpoints.map { "\"\($0)\"" }.joined(separator: ",")
        let answer = try await post(
            "\(Self.registry)/microservices/\(serviceId)/instances",
            #"{"instance":{"hostName":"\#(hostName)","endpoints":[\#(endpointList)]\#(extra)}}"#
        )
        guard answer.status == 200, let id = answer.json["instanceId"]?.stringValue else {
            throw HarnessError(description: "creating instance of \(serviceId) failed: \(answer.status) \(answer.body)")
        }
        return id
    }

    /// `GET /registry/instances` as consumer `consumerId` (records the dependency).
    func find(appId: String, name: String, consumerId: String, environment: String = "") async throws -> HTTPResult {
        var headers = HTTPFields()
        headers[HTTPField.Name("X-ConsumerId")!] = consumerId
        return try await get(
            "\(Self.registry)/instances?appId=\(appId)&serviceName=\(name)&env=\(environment)",
            headers: headers
        )
    }

    func watchPath(_ consumerId: String) -> String { "\(Self.registry)/microservices/\(consumerId)/watcher" }
}

struct HarnessError: Error, CustomStringConvertible {
    var description: String
}

/// Waits for a condition that another task makes true, polling; fails after `limit` (a hang guard, not a timing
/// assertion).
func eventually(
    _ what: String,
    limit: Duration = .seconds(20),
    _ condition: @Sendable () async throws -> Bool
) async throws {
    let deadline = ContinuousClock.now + limit
    while ContinuousClock.now < deadline {
        if try await condition() { return }
        try await Task.sleep(for: .milliseconds(10))
    }
    throw HarnessError(description: "timed out waiting until \(what)")
}
