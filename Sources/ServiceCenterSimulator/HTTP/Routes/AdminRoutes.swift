import BridgeKernel
import Foundation

/// The simulator's own control API under `/__sim/` (a prefix no Service Center has). Never subject to faults or
/// RBAC. Bodies are JSON; every answer is JSON.
///
/// | Method | Path | Body / effect |
/// |---|---|---|
/// | GET | `/__sim/faults` | current faults |
/// | DELETE | `/__sim/faults` | clear request faults |
/// | POST | `/__sim/faults/fail` | `{"method"?,"route"?,"pathPrefix"?,"count"?}`: answer 500 (500003) |
/// | POST | `/__sim/faults/latency` | `{"milliseconds","method"?,"route"?,"pathPrefix"?}` |
/// | POST | `/__sim/faults/refuse-watch` | `{"mode":"internalError"\|"dropConnection"\|"off"}` |
/// | POST | `/__sim/faults/lose-dependencies` | `{"count":n}`: next n finds record no dependency |
/// | POST | `/__sim/faults/unhealthy` | `{"unhealthy":true\|false}` |
/// | POST | `/__sim/faults/drop-watch-sockets` | drop every open watch socket now |
/// | POST | `/__sim/faults/go-away` | `{"milliseconds":n}`: stop listening, come back after n ms |
/// | GET | `/__sim/stats` | request counters, open watch sockets, dropped events |
/// | GET | `/__sim/events` | log of published instance events |
/// | POST | `/__sim/leases/expire` | expire due leases now |
/// | POST | `/__sim/instances/properties` | `{"changes":[{"serviceId","instanceId","properties"}]}`: several `PUT …/properties` (tenant `default/default`) in one request, each with its own UPDATE event |
enum AdminRoutes {
    static let prefix = "/__sim/"

    static func respond(to request: SimulatedRequest, core: SimulatorCore) async -> SimulatedResponse {
        let body: JSONValue
        if request.body.isEmpty {
            body = .object([:])
        } else if let parsed = try? JSONValue.parse(request.body) {
            body = parsed
        } else {
            return adminError(.badRequest, "request body is not JSON")
        }
        switch (request.method, request.path) {
        case ("GET", "/__sim/faults"):
            return .json(faultsDocument(core.faults))
        case ("DELETE", "/__sim/faults"):
            core.faults.clear()
            return .json(faultsDocument(core.faults))
        case ("POST", "/__sim/faults/fail"):
            let count = body["count"]?.intValue.map(Int.init)
            core.faults.failRequests(matching: matcher(body), count: count)
            return .json(faultsDocument(core.faults))
        case ("POST", "/__sim/faults/latency"):
            guard let milliseconds = body["milliseconds"]?.intValue else {
                return adminError(.badRequest, "milliseconds is required")
            }
            core.faults.addLatency(.milliseconds(milliseconds), matching: matcher(body))
            return .json(faultsDocument(core.faults))
        case ("POST", "/__sim/faults/refuse-watch"):
            let mode = body["mode"]?.stringValue ?? "internalError"
            if mode == "off" {
                core.faults.refuseWatchSockets(nil)
            } else if let refusal = WatchRefusal(rawValue: mode) {
                core.faults.refuseWatchSockets(refusal)
            } else {
                return adminError(.badRequest, "mode must be internalError, dropConnection or off")
            }
            return .json(faultsDocument(core.faults))
        case ("POST", "/__sim/faults/lose-dependencies"):
            core.faults.loseDependencyRegistrations(forNextFinds: Int(body["count"]?.intValue ?? 1))
            return .json(faultsDocument(core.faults))
        case ("POST", "/__sim/faults/unhealthy"):
            core.faults.setUnhealthy(body["unhealthy"]?.boolValue ?? true)
            return .json(faultsDocument(core.faults))
        case ("POST", "/__sim/faults/drop-watch-sockets"):
            let dropped = await core.listenerControl?.dropAllWatchSockets() ?? 0
            return .json(.object([("dropped", .int(Int64(dropped)))]))
        case ("POST", "/__sim/faults/go-away"):
            guard let milliseconds = body["milliseconds"]?.intValue, milliseconds > 0 else {
                return adminError(.badRequest, "milliseconds (> 0) is required: the listener must come back by itself")
            }
            let control = core.listenerControl
            // Answer first, then go away: the connection carrying this answer is dropped with the rest, so give
            // the answer a moment to leave.
            Task {
                try? await Task.sleep(for: .milliseconds(50))
                await control?.goAway(for: .milliseconds(milliseconds))
            }
            return .json(.object([("comingBackAfterMilliseconds", .int(milliseconds))]))
        case ("GET", "/__sim/stats"):
            return .json(statsDocument(core))
        case ("GET", "/__sim/events"):
            return .json(.array(core.hub.publishedEvents.map(eventDocument)))
        case ("POST", "/__sim/leases/expire"):
            let expired = await core.listenerControl?.expireLeases() ?? []
            return .json(.object([("expired", .array(expired.map { .string($0.instanceId) }))]))
        case ("POST", "/__sim/instances/properties"):
            return await setProperties(body, core: core)
        default:
            return adminError(.notFound, "no admin route \(request.method) \(request.path)")
        }
    }

    /// Changes many instances with one request, so that a load generator's own HTTP work does not crowd out the
    /// system it measures; every change is applied and announced exactly as its `PUT` would be. Stops at the
    /// first change that fails and says which.
    private static func setProperties(_ body: JSONValue, core: SimulatorCore) async -> SimulatedResponse {
        guard let changes = body["changes"]?.arrayValue else {
            return adminError(.badRequest, "changes (an array) is required")
        }
        for (index, change) in changes.enumerated() {
            guard let serviceId = change["serviceId"]?.stringValue, let instanceId = change["instanceId"]?.stringValue,
                let properties = change["properties"]?.objectValue?.compactMapValues(\.stringValue)
            else {
                return adminError(.badRequest, "change \(index): serviceId, instanceId and properties are required")
            }
            do throws(ServiceCenterAPIError) {
                try await core.registry.setInstanceProperties(
                    serviceId: serviceId, instanceId: instanceId, properties: properties, tenant: .default)
            } catch {
                return adminError(.badRequest, "change \(index) (\(serviceId)/\(instanceId)): \(error)")
            }
        }
        return .json(.object([("applied", .int(Int64(changes.count)))]))
    }

    private static func matcher(_ body: JSONValue) -> RequestMatcher {
        RequestMatcher(
            method: body["method"]?.stringValue,
            route: body["route"]?.stringValue,
            pathPrefix: body["pathPrefix"]?.stringValue
        )
    }

    private static func adminError(_ status: HTTPResponseStatusCode, _ message: String) -> SimulatedResponse {
        var response = SimulatedResponse.json(.object([("error", .string(message))]))
        response.status = .init(code: status.rawValue)
        return response
    }

    enum HTTPResponseStatusCode: Int {
        case badRequest = 400
        case notFound = 404
    }

    private static func matcherDocument(_ matcher: RequestMatcher) -> [(String, GoJSON)] {
        var members: [(String, GoJSON)] = []
        if let method = matcher.method { members.append(("method", .string(method))) }
        if let route = matcher.route { members.append(("route", .string(route))) }
        if let prefix = matcher.pathPrefix { members.append(("pathPrefix", .string(prefix))) }
        return members
    }

    static func faultsDocument(_ faults: SimulatorFaults) -> GoJSON {
        let state = faults.snapshot
        return .object([
            (
                "failures",
                .array(
                    state.failures.map { rule in
                        .object(
                            matcherDocument(rule.matcher)
                                + (rule.remaining.map { [("remaining", GoJSON.int(Int64($0)))] } ?? [])
                        )
                    }
                )
            ),
            (
                "latencies",
                .array(
                    state.latencies.map { rule in
                        let milliseconds =
                            rule.delay.components.seconds * 1000
                            + rule.delay.components.attoseconds / 1_000_000_000_000_000
                        return .object(matcherDocument(rule.matcher) + [("milliseconds", .int(milliseconds))])
                    }
                )
            ),
            ("refuseWatch", .string(state.watchRefusal?.rawValue ?? "off")),
            ("lostDependencyRegistrations", .int(Int64(state.lostDependencyRegistrations))),
            ("unhealthy", .bool(state.unhealthy)),
        ])
    }

    static func statsDocument(_ core: SimulatorCore) -> GoJSON {
        let requests = core.counters.snapshot
        return .object([
            ("requests", .object(requests.keys.sorted().map { ($0, .int(Int64(requests[$0]!))) })),
            ("openWatchSockets", .int(Int64(core.watchSessions.count))),
            ("droppedEvents", .int(Int64(core.hub.droppedByOverflow))),
            ("publishedEvents", .int(Int64(core.hub.publishedEvents.count))),
        ])
    }

    static func eventDocument(_ published: PublishedEvent) -> GoJSON {
        .object([
            ("sequence", .int(Int64(published.sequence))),
            ("date", .string(ISO8601DateFormatter().string(from: published.date))),
            ("tenant", .string(published.tenant.description)),
            ("consumerIds", .array(published.consumerIds.map(GoJSON.string))),
            ("deliveredSockets", .int(Int64(published.deliveredSockets))),
            ("event", published.event.goJSON),
        ])
    }
}
