import Foundation
import Logging
import NIOConcurrencyHelpers
import ServiceLifecycle

/// An in-process Apache ServiceComb Service Center that speaks the real v4 REST and WebSocket protocol over real
/// sockets, quirks included.
///
/// ```swift
/// let simulator = ServiceCenterSimulator(configuration: .init(port: 0))
/// let port = try await simulator.start()
/// let serviceId = try await simulator.registerService(MicroService(appId: "shop", serviceName: "cart"))
/// try await simulator.registerInstance(MicroServiceInstance(serviceId: serviceId, endpoints: ["rest://10.0.0.5:8080"],
///                                                          hostName: "cart-1"))
/// ...
/// await simulator.stop()
/// ```
///
/// The Swift helpers go through the same registry code paths as the REST API, so validation, defaults and watch
/// events are identical. As a `Service`, the simulator starts in `run()` and stops on graceful shutdown.
public final class ServiceCenterSimulator: Sendable, Service, ListenerControlling {
    /// The configuration the simulator was created with.
    public let configuration: SimulatorConfiguration
    /// Request-level fault switches.
    public var faults: SimulatorFaults { core.faults }

    let core: SimulatorCore
    private let listener: Listener
    private let state = NIOLockedValueBox(LifecycleState())

    private struct LifecycleState {
        var port: Int?
        var sweeper: Task<Void, Never>?
        var comeBack: Task<Void, Never>?
    }

    /// Creates a stopped simulator with an empty registry (plus Service Center's own `SERVICECENTER` service once
    /// started).
    public init(configuration: SimulatorConfiguration = SimulatorConfiguration()) {
        self.configuration = configuration
        self.core = SimulatorCore(configuration: configuration)
        self.listener = Listener(core: core)
        core.listenerControl = self
    }

    // MARK: Lifecycle

    /// Starts listening and returns the bound port (useful with port 0). Registers `SERVICECENTER` on first start.
    @discardableResult
    public func start() async throws -> Int {
        let port = try await listener.start(
            host: configuration.host, port: state.withLockedValue { $0.port } ?? configuration.port)
        state.withLockedValue { $0.port = port }
        try await registerSelf(port: port)
        startSweeper()
        configuration.logger.info("Service Center simulator listening on \(baseURL ?? "?")")
        return port
    }

    /// Stops listening, drops every connection and stops the lease sweeper. The registry keeps its contents; a
    /// later `start()` listens on the same port again.
    public func stop() async {
        let tasks = state.withLockedValue { state -> [Task<Void, Never>] in
            defer {
                state.sweeper = nil
                state.comeBack = nil
            }
            return [state.sweeper, state.comeBack].compactMap { $0 }
        }
        tasks.forEach { $0.cancel() }
        await listener.stop()
    }

    /// `Service`: start, wait for graceful shutdown (SIGINT/SIGTERM through a `ServiceGroup`), stop.
    public func run() async throws {
        try await start()
        try? await gracefulShutdown()
        await stop()
    }

    /// The bound port once started.
    public var port: Int? { state.withLockedValue { $0.port } }

    /// `http://host:port` (or `https://`) once started.
    public var baseURL: String? {
        port.map { "\(configuration.tls == nil ? "http" : "https")://\(configuration.host):\($0)" }
    }

    private func registerSelf(port: Int) async throws {
        let host = configuration.host.contains(":") ? "[\(configuration.host)]" : configuration.host
        var endpoint = "rest://\(host):\(port)/"
        if configuration.tls != nil { endpoint += "?sslEnabled=true" }
        do throws(ServiceCenterAPIError) {
            try await core.registry.registerSelf(endpoint: endpoint)
        } catch {
            throw SimulatorError(.registryRejected, "registering SERVICECENTER", apiError: error)
        }
    }

    private func startSweeper() {
        guard let interval = configuration.leaseSweepInterval else { return }
        let registry = core.registry
        let clock = configuration.clock
        let task = Task {
            while !Task.isCancelled {
                do { try await Task.sleep(for: interval) } catch { return }
                await registry.expireLeases(now: clock.now())
            }
        }
        state.withLockedValue { state in
            state.sweeper?.cancel()
            state.sweeper = task
        }
    }

    // MARK: Listener faults

    /// Drops every open watch socket now (TCP close, no Close frame); returns how many were open.
    @discardableResult
    public func dropAllWatchSockets() async -> Int {
        await core.watchSessions.dropAll()
    }

    /// Stops listening and drops every connection, like a crashed Service Center. With a duration, listens again
    /// on the same port after it (real time); otherwise call ``comeBack()``.
    public func goAway(for duration: Duration? = nil) async {
        await listener.stop()
        guard let duration else { return }
        let task = Task { [weak self] in
            do { try await Task.sleep(for: duration) } catch { return }
            try? await self?.comeBack()
        }
        state.withLockedValue { $0.comeBack = task }
    }

    /// Listens again on the port of the previous run.
    public func comeBack() async throws {
        guard let port = state.withLockedValue({ $0.port }) else {
            throw SimulatorError(.notRunning, "comeBack() before the first start()")
        }
        guard !(await listener.isRunning) else { return }
        _ = try await listener.start(host: configuration.host, port: port)
    }

    // MARK: Leases and clock

    /// Deletes every instance whose lease has run out at the simulator clock's current time, publishing DELETE
    /// events; returns the expired instances.
    @discardableResult
    public func expireLeases() async -> [MicroServiceInstance] {
        await core.registry.expireLeases(now: configuration.clock.now())
    }

    /// Advances a ``ManualSimulatorClock`` and expires the leases that ran out.
    @discardableResult
    public func advance(by duration: Duration) async throws -> [MicroServiceInstance] {
        guard let clock = configuration.clock as? ManualSimulatorClock else {
            throw SimulatorError(.clockNotManual, "advance(by: \(duration)) needs a ManualSimulatorClock")
        }
        clock.advance(by: duration)
        return await expireLeases()
    }

    // MARK: Observability

    /// Requests served per route, keyed `"{METHOD} {route pattern}"`, e.g.
    /// `"GET /v4/:project/registry/microservices"`; unmatched requests under `"{METHOD} (unmatched)"`.
    public var requestCounts: [String: Int] { core.counters.snapshot }

    /// Requests served for one route pattern.
    public func requestCount(_ method: String, _ route: String) -> Int {
        core.counters.snapshot[RequestCounters.key(method: method, route: route)] ?? 0
    }

    /// Forgets the request counters.
    public func resetRequestCounts() { core.counters.reset() }

    /// Watch sockets currently open.
    public var openWatchSocketCount: Int { core.watchSessions.count }

    /// Details of the open watch sockets.
    public var openWatchSockets: [WatchSocketInfo] { core.watchSessions.infos }

    /// Every instance event published so far (oldest first).
    public var publishedEvents: [PublishedEvent] { core.hub.publishedEvents }

    /// Events discarded by the per-socket queue overflow rule.
    public var droppedEventCount: Int { core.hub.droppedByOverflow }

    /// Forgets the published-event log.
    public func clearPublishedEvents() { core.hub.clearLog() }
}
