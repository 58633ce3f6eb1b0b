import BridgeKernel
import BridgeTransport
import Logging

/// The I/O side of the source: performs listings and finds, runs the watch sockets and reports changes. All
/// state changes go through the pure ``ServiceCenterCatalog``, ``ServiceGrouping`` and ``ServiceDiff``.
///
/// An actor, because two tasks use it: the source's run loop hands it watch signals one at a time, and a poller
/// runs the polls beside them. A poll waits for listings and finds without holding the actor, so watch events
/// keep flowing while a large registry is listed (at 10 000 services a listing and its re-finds took long enough
/// to hold every event back for a second).
actor ServiceCenterSyncLoop {
    private let settings: ServiceCenterSourceSettings
    private let client: ServiceCenterClient
    private let webSockets: WebSocketClient
    private let signals: AsyncStream<SyncSignal>.Continuation
    private let pollRequests: AsyncStream<Void>.Continuation
    private let output: SourceOutput
    private let logger: Logger
    private let grouping: ServiceGrouping

    private var catalog = ServiceCenterCatalog()
    private var watchers: [WatchScope: String] = [:]
    private var watchTasks: [WatchScope: Task<Void, Never>] = [:]
    private var scopesNeedingFind = Set<WatchScope>()
    /// When the last successful find of each scope began: a socket that opened before it needs no find of its own.
    private var foundSince: [WatchScope: ContinuousClock.Instant] = [:]
    private var resync: ResyncSchedule<ContinuousClock.Instant>
    private var lastPollEnd: ContinuousClock.Instant?
    /// Something needs a poll (a new socket, an event of an unknown service): it runs even right after another.
    private var pollNeeded = false
    private var emitted: [ServiceKey: Service]?
    private var converted = ConvertedInstances()
    private var health: SourceHealth?
    private var reportedProblems = Set<String>()

    init(
        sourceName: String, settings: ServiceCenterSourceSettings, client: ServiceCenterClient,
        webSockets: WebSocketClient, signals: AsyncStream<SyncSignal>.Continuation,
        pollRequests: AsyncStream<Void>.Continuation, output: SourceOutput, logger: Logger
    ) {
        self.settings = settings
        self.client = client
        self.webSockets = webSockets
        self.signals = signals
        self.pollRequests = pollRequests
        self.output = output
        self.logger = logger
        self.resync = ResyncSchedule(interval: settings.resyncInterval)
        self.grouping = ServiceGrouping(
            sourceName: sourceName, tenant: "\(settings.domain)/\(settings.project)",
            ignoredNames: ["SERVICECENTER", "SERVICE-CENTER", settings.watcherServiceName])
    }

    /// Runs a poll for a request of the poller (see ``requestPoll()``); a timer tick right after a poll is
    /// skipped.
    func pollWhenRequested() async {
        if !pollNeeded, let lastPollEnd, ContinuousClock.now - lastPollEnd < settings.pollInterval / 2 { return }
        await poll()
    }

    /// Asks the poller for a poll. Requests made while a poll runs are served by one more poll after it.
    private func requestPoll() {
        pollNeeded = true
        pollRequests.yield()
    }

    func handle(_ signal: SyncSignal) {
        switch signal {
        case .watchConnected(let scope, let consumerId, let connectedAt):
            guard watchers[scope] == consumerId else { return }
            logger.debug("watch socket connected", metadata: ["scope": "\(scope)", "consumer": "\(consumerId)"])
            // No initial snapshot on the socket, so events before it opened may be missing: find again, unless a
            // find began after it opened (the usual case at start-up, where the sockets open during the finds;
            // finding every instance twice doubled the cost of starting against a large registry).
            if let found = foundSince[scope], found >= connectedAt { return }
            scopesNeedingFind.insert(scope)
            requestPoll()
        case .watchFrame(let scope, let consumerId, let frame):
            guard watchers[scope] == consumerId else { return }
            apply(frame, scope: scope)
        case .watchLost(let scope, let consumerId, let reason):
            guard watchers[scope] == consumerId else { return }
            logger.info(
                "watch socket lost; reconnecting",
                metadata: ["scope": "\(scope)", "consumer": "\(consumerId)", "reason": "\(reason)"])
        }
    }

    private func apply(_ frame: SCWatchFrame, scope: WatchScope) {
        switch frame {
        case .instance(let action, let instance):
            if catalog.apply(action: action, instance: instance) {
                emit()
            } else {
                logger.debug(
                    "watch event for an unlisted service; re-listing",
                    metadata: ["serviceId": "\(instance.serviceId)", "instanceId": "\(instance.instanceId)"])
                scopesNeedingFind.insert(scope)
                requestPoll()
            }
        case .requery(let reason):
            logger.info("re-querying after a watch frame", metadata: ["scope": "\(scope)", "reason": "\(reason)"])
            scopesNeedingFind.insert(scope)
            requestPoll()
        case .consumerMissing:
            logger.warning("watcher consumer is gone; registering it again", metadata: ["scope": "\(scope)"])
            watchTasks.removeValue(forKey: scope)?.cancel()
            watchers[scope] = nil
            scopesNeedingFind.insert(scope)
            requestPoll()
        }
    }

    /// One listing, watcher upkeep and the finds that are due. Only one poll runs at a time (the initial one,
    /// then the poller's); watch events are applied while it waits for the server.
    func poll() async {
        pollNeeded = false
        defer { lastPollEnd = .now }
        let listing: (services: [SCService], problems: [String])
        do {
            listing = try await client.listServices()
        } catch {
            return fail(error)
        }
        report(listing.problems)
        let listed = listing.services.filter { !grouping.ignoredNames.contains($0.serviceName) }
        let newIds = catalog.applyListing(listed)
        let scopes = Set(listed.map(WatchScope.init))
        let sortedScopes = scopes.sorted()
        for id in newIds { if let service = catalog.services[id] { scopesNeedingFind.insert(WatchScope(service)) } }
        // Lost watch events are covered by re-finding every scope once per resync interval, a few per poll.
        scopesNeedingFind.formUnion(resync.due(sortedScopes, at: .now))
        scopesNeedingFind.formIntersection(scopes)
        await retireWatchers(notIn: scopes)

        var failure: ServiceCenterError?
        // Every watcher and its socket first, so that the sockets open while the finds run: a find that begins
        // after its scope's socket opened leaves nothing for the socket to have missed.
        var consumers: [WatchScope: String] = [:]
        for scope in sortedScopes {
            do {
                consumers[scope] = try await ensureWatcher(scope)
            } catch {
                failure = failure ?? error
            }
        }
        var lastProgress = ContinuousClock.now
        for (index, scope) in sortedScopes.enumerated() {
            if let consumerId = consumers[scope], scopesNeedingFind.contains(scope) {
                do {
                    try await find(scope, consumerId: consumerId)
                    scopesNeedingFind.remove(scope)
                } catch {
                    failure = failure ?? error
                }
            }
            // A large registry takes a while to sync the first time: say how far it got, every few seconds.
            if emitted == nil, ContinuousClock.now - lastProgress >= .seconds(5) {
                lastProgress = .now
                logger.info(
                    "initial sync in progress",
                    metadata: [
                        "scopes": "\(index + 1) of \(scopes.count)", "services": "\(listed.count)",
                        "instances": "\(catalog.instances.values.reduce(0) { $0 + $1.count })",
                    ])
            }
        }
        if let failure { return fail(failure) }
        catalog.isComplete = true
        emit()
        setHealth(.healthy)
    }

    private func ensureWatcher(_ scope: WatchScope) async throws(ServiceCenterError) -> String {
        if let id = watchers[scope] { return id }
        let id = try await client.registerWatcher(environment: scope.environment, appId: scope.appId)
        watchers[scope] = id
        scopesNeedingFind.insert(scope)
        startWatch(scope, consumerId: id)
        logger.debug("watcher consumer registered", metadata: ["scope": "\(scope)", "consumer": "\(id)"])
        return id
    }

    private func find(_ scope: WatchScope, consumerId: String) async throws(ServiceCenterError) {
        let services = catalog.services.values.filter { WatchScope($0) == scope }.sorted { $0.serviceId < $1.serviceId }
        let queries = services.map {
            ServiceCenterClient.ProviderQuery(
                environment: $0.environment, appId: $0.appId, serviceName: $0.serviceName, version: $0.version)
        }
        guard !queries.isEmpty else { return }
        let started = ContinuousClock.now
        catalog.beginFind()
        let result: SCBatchFindResult
        do {
            result = try await client.batchFind(consumerId: consumerId, queries: queries)
        } catch {
            catalog.abandonFind()
            throw error
        }
        report(result.problems)
        var succeeded = Set<String>()
        var found: [SCInstance] = []
        for (index, service) in services.enumerated() {
            if let instances = result.updated[index] {
                succeeded.insert(service.serviceId)
                // The server ignores the version: instances of every version come back; each keeps its serviceId.
                found += instances
            } else if let message = result.failed[index] {
                report([
                    "find for service \(service.serviceId) (\(service.appId)/\(service.serviceName)) failed: \(message)"
                ])
            } else {
                // Neither updated nor failed: Service Center omits queries with no instances.
                succeeded.insert(service.serviceId)
            }
        }
        catalog.applyFind(serviceIds: succeeded, found: found)
        foundSince[scope] = started
    }

    private func retireWatchers(notIn scopes: Set<WatchScope>) async {
        for (scope, id) in watchers where !scopes.contains(scope) {
            watchTasks.removeValue(forKey: scope)?.cancel()
            watchers[scope] = nil
            foundSince[scope] = nil
            try? await client.unregisterService(id)
        }
    }

    private func startWatch(_ scope: WatchScope, consumerId: String) {
        watchTasks[scope]?.cancel()
        let client = client
        let webSockets = webSockets
        let signals = signals
        let settings = settings
        watchTasks[scope] = Task {
            let initialBackoff = min(settings.pollInterval, .seconds(1))
            var backoff = initialBackoff
            while !Task.isCancelled {
                do {
                    let request = try await client.watchRequest(consumerId: consumerId)
                    let connection = try await webSockets.connect(
                        url: request.url, headers: request.headers, tls: settings.tls,
                        pingInterval: settings.watchPingInterval, idleTimeout: settings.watchPingInterval * 3)
                    backoff = initialBackoff
                    signals.yield(.watchConnected(scope, consumerId: consumerId, at: .now))
                    for try await message in connection.messages {
                        guard case .text(let text) = message else { continue }
                        let frame = ServiceCenterPayloads.watchFrame(text)
                        signals.yield(.watchFrame(scope, consumerId: consumerId, frame))
                        if frame == .consumerMissing { return }
                    }
                    signals.yield(.watchLost(scope, consumerId: consumerId, reason: "closed by the server"))
                } catch {
                    if Task.isCancelled { return }
                    signals.yield(.watchLost(scope, consumerId: consumerId, reason: "\(error)"))
                }
                do { try await Task.sleep(for: backoff) } catch { return }
                backoff = min(backoff * 2, .seconds(30))
            }
        }
    }

    /// Reports what changed since the last emission: the first time a snapshot of everything, then only the
    /// services the catalog saw change (a watch event touches one, a poll or resync usually few), so the cost of
    /// an emission follows the change, not the size of the registry.
    private func emit() {
        guard catalog.isComplete else { return }
        guard emitted != nil else { return emitSnapshot() }
        let touched = catalog.takeTouched()
        guard !touched.isEmpty else { return }
        for service in touched where catalog.services[service.serviceId] == nil {
            converted.forgetDeparted(ofService: service.serviceId, current: nil)
        }
        let keys = Set(touched.compactMap(grouping.key(for:)))
        let (services, problems) = grouping.services(from: catalog, only: keys, remembering: &converted)
        report(problems)
        // `emitted` is updated in place: copying it out and back would copy the whole registry per event.
        for key in keys.sorted() where services[key] != emitted?[key] {
            if let service = services[key] { output.upsert(service) } else { output.remove(key) }
            emitted?[key] = services[key]
        }
    }

    private func emitSnapshot() {
        _ = catalog.takeTouched()
        let (services, problems) = grouping.services(from: catalog, only: nil, remembering: &converted)
        converted.keepOnly(catalog.instances)
        report(problems)
        output.snapshot(services.values.sorted { $0.key < $1.key })
        emitted = services
        logger.info(
            "initial sync complete",
            metadata: [
                "services": "\(services.count)",
                "instances": "\(services.values.reduce(0) { $0 + $1.instances.count })",
            ])
    }

    private func fail(_ error: ServiceCenterError) {
        guard !Task.isCancelled else { return }
        logger.warning("Service Center unavailable; keeping the last known state", metadata: ["error": "\(error)"])
        setHealth(.unhealthy(reason: error.description))
    }

    private func setHealth(_ new: SourceHealth) {
        guard health != new else { return }
        health = new
        output.health(new)
    }

    /// Logs each distinct problem once, so a bad instance does not flood the log on every poll.
    private func report(_ problems: [String]) {
        for problem in problems where reportedProblems.insert(problem).inserted {
            logger.warning("skipping registry data", metadata: ["problem": "\(problem)"])
        }
    }

    /// Stops the watch sockets and unregisters the watcher consumers.
    func shutdown() async {
        for task in watchTasks.values { task.cancel() }
        watchTasks = [:]
        for (scope, id) in watchers.sorted(by: { $0.key < $1.key }) {
            do {
                try await client.unregisterService(id)
            } catch {
                logger.info(
                    "could not unregister a watcher consumer", metadata: ["scope": "\(scope)", "error": "\(error)"])
            }
        }
        watchers = [:]
    }
}
