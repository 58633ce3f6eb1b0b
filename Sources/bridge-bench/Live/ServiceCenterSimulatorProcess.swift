import BridgeKernel
import BridgeTransport
import Foundation

/// `bridge-sim servicecenter` in its own process, seeded with a synthetic registry whose ids are predictable
/// (`s<index>` services, `s<index>-<replica>` instances), so a benchmark can change instances by id.
struct ServiceCenterSimulatorProcess {
    let process: ChildProcess
    let url: String
    let http: HTTPClient

    static func start(directory: String, services: Int, instancesPerService: Int) async throws
        -> ServiceCenterSimulatorProcess
    {
        let seed = "\(directory)/seed-\(UUID().uuidString).json"
        try seedDocument(services: services, instancesPerService: instancesPerService).write(
            toFile: seed, atomically: true, encoding: .utf8)
        let process = try ChildProcess(
            ChildProcess.sibling("bridge-sim"),
            ["servicecenter", "--port", "0", "--seed", seed, "--log-level", "info"])
        guard
            let line = await process.waitForLine(
                containing: "Service Center simulator listening on", limit: .seconds(600)),
            let url = line.components(separatedBy: "listening on ").last?.split(separator: " ").first
        else {
            process.stop()
            throw BenchError("bridge-sim servicecenter did not start: \(process.output)")
        }
        return ServiceCenterSimulatorProcess(process: process, url: String(url), http: HTTPClient())
    }

    /// The seed: services spread over 50 apps, a third in `production`; two endpoints per instance, every tenth
    /// instance DOWN.
    static func seedDocument(services: Int, instancesPerService: Int) -> String {
        var entries: [String] = []
        entries.reserveCapacity(services)
        for index in 0..<services {
            let environment = index % 3 == 0 ? "production" : ""
            var instances: [String] = []
            for replica in 0..<instancesPerService {
                let address = index * instancesPerService + replica
                let host = "10.\(address / 65536 % 256).\(address / 256 % 256).\(address % 256)"
                instances.append(
                    #"{"instanceId":"s\#(index)-\#(replica)","hostName":"host-\#(address)","status":"\#(replica % 10 == 9 ? "DOWN" : "UP")","endpoints":["rest://\#(host):8080","highway://\#(host):7070"],"properties":{"zone":"z\#(replica % 3)"}}"#
                )
            }
            entries.append(
                #"{"service":{"serviceId":"s\#(index)","appId":"app-\#(index % 50)","serviceName":"service-\#(index)","version":"1.0.0","environment":"\#(environment)"},"instances":[\#(instances.joined(separator: ","))]}"#
            )
        }
        return #"{"services":["# + entries.joined(separator: ",\n") + "]}\n"
    }

    /// Total requests the simulator has served (its `/__sim/stats` counters).
    func requestCount() async throws -> Int {
        let response = try await http.execute(HTTPRequest(url: url + "/__sim/stats"))
        let stats = try JSONValue.parse(response.body)
        return stats["requests"]?.objectValue?.values.compactMap(\.intValue).reduce(0) { $0 + Int($1) } ?? 0
    }

    /// Sets a property on each of several instances in one request (the simulator's
    /// `POST /__sim/instances/properties`; each change is applied and announced as its own
    /// `PUT …/instances/{id}/properties` would be): registry changes whose generation costs the machine little.
    func setProperties(_ changes: [(service: Int, replica: Int, value: String)]) async throws {
        let entries = changes.map { change in
            #"{"serviceId":"s\#(change.service)","instanceId":"s\#(change.service)-\#(change.replica)","properties":{"zone":"z\#(change.replica % 3)","churn":"\#(change.value)"}}"#
        }
        let body = #"{"changes":["# + entries.joined(separator: ",") + "]}"
        let response = try await http.execute(
            HTTPRequest(
                method: .post, url: url + "/__sim/instances/properties",
                headers: ["Content-Type": "application/json"], body: Array(body.utf8)))
        guard response.status == 200 else {
            throw BenchError("changing \(changes.count) instances failed: \(response.status) \(response.bodyText)")
        }
    }

    func stop() async {
        await http.shutdown()
        process.stop()
        _ = await process.wait()
    }
}
