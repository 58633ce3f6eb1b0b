import Logging
import NIOConcurrencyHelpers

/// Listener-level actions the admin API can trigger; implemented by ``ServiceCenterSimulator``.
protocol ListenerControlling: AnyObject, Sendable {
    func dropAllWatchSockets() async -> Int
    func goAway(for duration: Duration?) async
    func expireLeases() async -> [MicroServiceInstance]
}

/// The shared parts every connection handler needs: registry, event hub, faults, counters, token authority.
final class SimulatorCore: Sendable {
    let configuration: SimulatorConfiguration
    let registry: Registry
    let hub: EventHub
    let faults: SimulatorFaults
    let counters: RequestCounters
    let tokens: TokenAuthority?
    let watchSessions: WatchSessionTracker
    let logger: Logger
    private struct WeakListener {
        weak var value: (any ListenerControlling)?
    }

    /// Weak, so the simulator (which owns the core) is not kept alive by it.
    private let listener = NIOLockedValueBox(WeakListener())

    init(configuration: SimulatorConfiguration) {
        self.configuration = configuration
        self.logger = configuration.logger
        self.hub = EventHub(queueCapacity: configuration.watch.queueCapacity)
        self.faults = SimulatorFaults()
        self.counters = RequestCounters()
        self.tokens = configuration.rbac.map { TokenAuthority(settings: $0, clock: configuration.clock) }
        self.watchSessions = WatchSessionTracker()
        self.registry = Registry(
            clock: configuration.clock,
            hub: hub,
            faults: faults,
            identity: configuration.identity,
            logger: configuration.logger
        )
    }

    var listenerControl: (any ListenerControlling)? {
        get { listener.withLockedValue { $0.value } }
        set { listener.withLockedValue { $0.value = newValue } }
    }
}
