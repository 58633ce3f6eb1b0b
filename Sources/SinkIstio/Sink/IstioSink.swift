import BridgeKernel
import Foundation
import IstioMapping
import KubernetesAPI
import Logging

/// The `istio` sink: keeps the ServiceEntries and WorkloadEntries in a Kubernetes cluster equal to the desired
/// state, live, through the API server.
///
/// - Writes with server-side apply under one field manager with `force`, and only objects whose desired content
///   differs from what the cluster holds: a steady registry makes no writes, one changed instance one write.
///   The content fingerprint is stored on each object (``ContentHash/annotation``), so a restarted bridge
///   recognises its earlier writes and does not rewrite them.
/// - Deletes objects it owns (by the ownership labels) that are no longer desired, and only when the push allows
///   pruning (every source synced and healthy). Objects it does not own are never touched, even when their name
///   clashes; the clash is reported.
/// - Lists each namespace it writes to before its first write there, then watches (or periodically re-lists)
///   the objects and restores any that someone edits or deletes.
/// - Per-object refusals (422, 400) are reported and not retried until the object's content changes; they never
///   block the other objects. Throttling and server errors are retried by the client.
public actor IstioSink: Sink {
    public nonisolated let name: String
    let settings: IstioSinkSettings
    let client: KubernetesClient
    let logger: Logger

    /// Desired objects by reference.
    private var desired: [ObjectReference: DesiredObject] = [:]
    /// The prepared objects of each group as last seen, so unchanged groups are not fingerprinted again.
    private var preparedGroups: [String: (group: ObjectGroup, references: [ObjectReference])] = [:]
    /// The revision of the push ``preparedGroups`` reflects. The next revision's own change list then names every
    /// group to look at; after a gap (a push this sink never saw) every group is compared.
    private var preparedRevision: Int?
    /// What the cluster holds, in the listed scopes.
    private var live: [ObjectReference: LiveObject] = [:]
    /// Listed scopes and the resourceVersion to watch them from.
    private var scopes: [WatchScope: String] = [:]
    /// The resource of each kind in use (for deletes).
    private var resources: [String: APIResource] = [:]
    /// Content hashes known to be in the cluster (skips planning for them).
    private var verified: [ObjectReference: String] = [:]
    /// Content hashes the API refused or that clash with a foreign object; not retried until they change.
    private var rejected: [ObjectReference: String] = [:]
    private var pruneAllowed = false
    /// Objects to look at again after a change in the cluster.
    private var dirty: Set<ObjectReference> = []
    /// Every object that may need a write: desired but not verified (or refused), or owned in the cluster but not
    /// desired. A push plans only these, so its cost follows what changed, not the size of the mesh; entries
    /// leave once verified or gone.
    private var unsettled: Set<ObjectReference> = []
    /// Namespaces (with the API version to list them at) that desired objects use and that were not listed yet.
    private var namespacesToList: [String: String] = [:]
    private var gate = ConvergenceGate()
    /// Where newly listed scopes and repair requests go while ``run()`` runs. `run()` may run several times (it is
    /// cancelled whenever this replica stops leading), so each run subscribes afresh.
    private var newScopesListener: AsyncStream<WatchScope>.Continuation?
    private var repairListener: AsyncStream<Void>.Continuation?

    /// Creates a sink and its API client.
    ///
    /// - Parameter observer: Receives every API request's outcome (for metrics).
    public init(
        name: String, settings: IstioSinkSettings, logger: Logger,
        observer: (@Sendable (KubernetesClient.RequestRecord) -> Void)? = nil
    ) {
        self.name = name
        self.settings = settings
        var sinkLogger = logger
        sinkLogger[metadataKey: "sink"] = "\(name)"
        self.logger = sinkLogger
        self.client = KubernetesClient(
            connection: settings.connection,
            configuration: KubernetesClient.Configuration(
                qps: settings.qps, burst: settings.burst, requestTimeout: settings.requestTimeout,
                userAgent:
                    "meshbridge/\(name) (\(ProcessInfo.processInfo.hostName)_\(ProcessInfo.processInfo.processIdentifier))",
                metricsClient: "sink/\(name)"),
            logger: sinkLogger, observer: observer)
    }

    // MARK: Pushes

    public func apply(_ state: DesiredState) async throws -> SinkReport {
        await enter()
        defer { leave() }
        pruneAllowed = state.pruneAllowed
        let unsupported = prepare(state)
        try await listNewScopes()

        var changes: [PlannedChange] = []
        var desiredNotInPlace = 0
        for reference in unsettled {
            if let object = desired[reference] {
                if verified[reference] == object.contentHash {
                    unsettled.remove(reference)
                    continue
                }
                desiredNotInPlace += 1
                // Refused content stays unsettled (and uncounted as in place) but is not sent again.
                if rejected[reference] != object.contentHash, let change = plan(reference) { changes.append(change) }
            } else if live[reference]?.owned == true {
                if let change = plan(reference) { changes.append(change) }
            } else {
                unsettled.remove(reference)
            }
        }
        let alreadyInPlace = desired.count - desiredNotInPlace
        var report = await carryOut(changes)
        report.unchanged += alreadyInPlace
        report.failures += unsupported
        return report
    }

    /// Refreshes ``desired`` from the groups, re-fingerprinting only groups that changed. Returns a failure line
    /// for each object of a kind the sink cannot write.
    private func prepare(_ state: DesiredState) -> [String] {
        let groups = state.groups
        var problems: [String] = []
        // Comparing every group on every push cost more than the rest of a small push at 10 000 services.
        let followsPreparedPush = preparedRevision.map { state.revision == $0 + 1 } ?? false
        let candidates: [String] =
            followsPreparedPush
            ? Array(state.changed.union(state.removed)) : Array(preparedGroups.keys) + Array(groups.keys)
        preparedRevision = state.revision
        // Objects of changed groups, kept so that the ones that did not change are not fingerprinted again
        // (one changed instance changes its group, but only one object in it).
        var retired: [ObjectReference: DesiredObject] = [:]
        for id in candidates {
            // After the preceding push the candidates are known to differ; only a full pass has to compare.
            guard let cached = preparedGroups[id], followsPreparedPush || groups[id] != cached.group else { continue }
            for reference in cached.references {
                retired[reference] = desired.removeValue(forKey: reference)
                unsettled.insert(reference)
            }
            preparedGroups[id] = nil
        }
        for id in candidates where preparedGroups[id] == nil {
            guard let group = groups[id] else { continue }
            var references: [ObjectReference] = []
            for manifest in group.objects {
                let reference = ObjectReference(kind: manifest.kind, namespace: manifest.namespace, name: manifest.name)
                let reused = retired[reference].flatMap { $0.manifest == manifest ? $0 : nil }
                guard let object = reused ?? DesiredObject(manifest) else {
                    problems.append("\(manifest): the istio sink cannot write \(manifest.apiVersion) \(manifest.kind)")
                    continue
                }
                desired[object.reference] = object
                references.append(object.reference)
                unsettled.insert(object.reference)
                // Already listed namespaces are skipped by `listNewScopes`.
                namespacesToList[object.reference.namespace] = object.resource.version
            }
            preparedGroups[id] = (group, references)
        }
        return problems
    }

    /// Lists every namespace and kind that desired objects live in and that was not listed yet, so that nothing
    /// is written (or pruned) there without a complete picture.
    private func listNewScopes() async throws(KubernetesAPIError) {
        var needed: Set<WatchScope> = []
        for (namespace, version) in namespacesToList {
            needed.insert(WatchScope(resource: .serviceEntries(version: version), namespace: namespace))
            needed.insert(WatchScope(resource: .workloadEntries(version: version), namespace: namespace))
        }
        for scope in needed.subtracting(scopes.keys).sorted(by: { $0.description < $1.description }) {
            try await relist(scope, noticeDrift: false)
            resources[scope.resource.kind] = scope.resource
            logger.info(
                "listed \(scope): \(live.keys.filter { $0.kind == scope.resource.kind && $0.namespace == scope.namespace }.count) objects"
            )
            newScopesListener?.yield(scope)
        }
        namespacesToList.removeAll()
    }

    private func plan(_ reference: ObjectReference) -> PlannedChange? {
        let object = desired[reference]
        guard let resource = object?.resource ?? resources[reference.kind] else { return nil }
        return ConvergencePlanner.change(
            desired: object, live: live[reference], resource: resource, pruneAllowed: pruneAllowed)
    }

    // MARK: Carrying out a plan

    private func carryOut(_ changes: [PlannedChange]) async -> SinkReport {
        var report = SinkReport(dryRun: settings.dryRun)
        var writes: [PlannedChange] = []
        var held = 0
        for change in changes {
            switch change {
            case .unchanged(let reference):
                verified[reference] = desired[reference]?.contentHash
                report.unchanged += 1
            case .clash(let object, _):
                if rejected[object.reference] != object.contentHash {
                    rejected[object.reference] = object.contentHash
                    report.rejected.append(change.summary)
                }
            case .pruneHeld:
                held += 1
            case .create, .update, .delete:
                writes.append(change)
            }
        }
        if held > 0 {
            logger.info("\(held) owned objects no longer desired are kept until every source is synced and healthy")
        }
        // Sorted through their references: sorting the changes themselves moved whole objects around.
        writes = writes.map { ($0.reference, $0) }.sorted { $0.0 < $1.0 }.map(\.1)
        if settings.dryRun {
            for change in writes {
                logger.info("dry run: would \(change.summary)")
                count(change, in: &report)
            }
            return report
        }
        guard !writes.isEmpty else { return report }

        let progress = ProgressLog(total: writes.count, logger: logger)
        let client = self.client
        let fieldManager = settings.fieldManager
        await withTaskGroup(of: (PlannedChange, WriteOutcome).self) { group in
            var pending = writes.makeIterator()
            var running = 0
            while running < settings.maxConcurrentWrites, let next = pending.next() {
                group.addTask { (next, await Self.perform(next, client: client, fieldManager: fieldManager)) }
                running += 1
            }
            while let (change, outcome) = await group.next() {
                record(change, outcome, in: &report)
                progress.advance()
                if let next = pending.next() {
                    group.addTask { (next, await Self.perform(next, client: client, fieldManager: fieldManager)) }
                }
            }
        }
        progress.finish()
        return report
    }

    private static func perform(_ change: PlannedChange, client: KubernetesClient, fieldManager: String) async
        -> WriteOutcome
    {
        switch change {
        case .create(let object), .update(let object, _):
            do throws(KubernetesAPIError) {
                let stored = try await client.apply(
                    object.resource, namespace: object.reference.namespace, name: object.reference.name,
                    body: object.applyBody, fieldManager: fieldManager)
                return .applied(LiveObject(stored, kind: object.reference.kind))
            } catch {
                return .failed(error)
            }
        case .delete(let object, let resource):
            do throws(KubernetesAPIError) {
                try await client.delete(
                    resource, namespace: object.reference.namespace, name: object.reference.name,
                    uid: object.uid.isEmpty ? nil : object.uid)
                return .deleted
            } catch  where error.code == .notFound {
                return .deleted
            } catch {
                return .failed(error)
            }
        case .clash, .unchanged, .pruneHeld:
            return .applied(nil)
        }
    }

    private func record(_ change: PlannedChange, _ outcome: WriteOutcome, in report: inout SinkReport) {
        let reference = change.reference
        unsettled.insert(reference)
        switch outcome {
        case .applied(let stored):
            if let stored { live[reference] = stored }
            if case .create(let object) = change, desired[reference]?.contentHash == object.contentHash {
                verified[reference] = object.contentHash
            } else if case .update(let object, _) = change, desired[reference]?.contentHash == object.contentHash {
                verified[reference] = object.contentHash
            }
            rejected[reference] = nil
            count(change, in: &report)
        case .deleted:
            live[reference] = nil
            verified[reference] = nil
            count(change, in: &report)
        case .failed(let error):
            switch (change, error.code) {
            case (.create(let object), .invalid), (.create(let object), .badRequest),
                (.update(let object, _), .invalid), (.update(let object, _), .badRequest):
                rejected[reference] = object.contentHash
                report.rejected.append("\(reference): \(error.status ?? 0) \(error.reason): \(error.message)")
            case (.delete, .conflict):
                // The uid precondition failed: the object was replaced meanwhile; the watch brings the new one.
                logger.info("not deleting \(reference): it was replaced in the cluster meanwhile")
            default:
                report.failures.append("\(change.summary) failed: \(error)")
            }
        }
    }

    private func count(_ change: PlannedChange, in report: inout SinkReport) {
        switch change {
        case .create: report.created += 1
        case .update: report.updated += 1
        case .delete: report.deleted += 1
        case .clash, .unchanged, .pruneHeld: break
        }
    }

    // MARK: The live view

    /// Lists a scope and replaces what is known about it; returns the resourceVersion to watch from.
    @discardableResult
    func relist(_ scope: WatchScope, noticeDrift: Bool) async throws(KubernetesAPIError) -> String {
        let list = try await client.list(scope.resource, namespace: scope.namespace)
        // A list is a snapshot as of its resourceVersion. What this sink wrote or watched after that is newer and
        // must not be undone by it: a re-list that overlapped a push would otherwise take the push's fresh objects
        // for missing ones and write them again. (Watch events are ordered the same way, in `noteLive`.)
        let snapshot = UInt64(list.resourceVersion)
        func knownNewer(_ reference: ObjectReference) -> Bool {
            guard let snapshot, let known = live[reference]?.resourceVersion else { return false }
            return known > snapshot
        }
        var seen = Set<ObjectReference>()
        for item in list.items {
            guard let object = LiveObject(item, kind: scope.resource.kind) else { continue }
            seen.insert(object.reference)
            if knownNewer(object.reference) { continue }
            noteLive(object, noticeDrift: noticeDrift, fromList: true)
        }
        let gone = live.keys.filter {
            $0.kind == scope.resource.kind && $0.namespace == scope.namespace && !seen.contains($0)
                && !knownNewer($0)
        }
        for reference in gone { noteGone(reference, noticeDrift: noticeDrift) }
        scopes[scope] = list.resourceVersion
        return list.resourceVersion
    }

    /// Applies one watch event to the live view.
    func ingest(_ event: WatchEvent, scope: WatchScope) {
        if let resourceVersion = event.resourceVersion { scopes[scope] = resourceVersion }
        switch event.kind {
        case .added, .modified:
            if let object = LiveObject(event.object, kind: scope.resource.kind) {
                noteLive(object, noticeDrift: true, fromList: false)
            }
        case .deleted:
            if let object = LiveObject(event.object, kind: scope.resource.kind) {
                if let known = live[object.reference]?.resourceVersion, let deletion = object.resourceVersion,
                    deletion < known
                {
                    return
                }
                noteGone(object.reference, noticeDrift: true)
            }
        case .bookmark, .error:
            break
        }
    }

    private func noteLive(_ object: LiveObject, noticeDrift: Bool, fromList: Bool) {
        let reference = object.reference
        if !fromList, let known = live[reference]?.resourceVersion, let incoming = object.resourceVersion,
            incoming < known
        {
            return
        }
        if live[reference] == object { return }
        live[reference] = object
        unsettled.insert(reference)
        if let wanted = desired[reference], object.matches(wanted) {
            verified[reference] = wanted.contentHash
            rejected[reference] = nil
            return
        }
        verified[reference] = nil
        if noticeDrift { rejected[reference] = nil }
        noticeChange(reference, noticeDrift: noticeDrift)
    }

    private func noteGone(_ reference: ObjectReference, noticeDrift: Bool) {
        guard live.removeValue(forKey: reference) != nil else { return }
        unsettled.insert(reference)
        verified[reference] = nil
        if noticeDrift { rejected[reference] = nil }
        noticeChange(reference, noticeDrift: noticeDrift)
    }

    private func noticeChange(_ reference: ObjectReference, noticeDrift: Bool) {
        guard noticeDrift, !settings.dryRun, let change = plan(reference), change.isWrite else { return }
        dirty.insert(reference)
        repairListener?.yield()
    }

    // MARK: Drift repair

    /// Restores the objects marked dirty by the live view.
    func repair() async {
        await enter()
        defer { leave() }
        let references = dirty.sorted()
        dirty.removeAll()
        var changes: [PlannedChange] = []
        for reference in references {
            guard let change = plan(reference), change.isWrite else { continue }
            switch change {
            case .create: logger.warning("\(reference) is missing from the cluster; restoring it")
            case .update: logger.warning("\(reference) was changed in the cluster; restoring it")
            case .delete: logger.info("\(reference) is owned by MeshBridge but not desired; deleting it")
            default: break
            }
            changes.append(change)
        }
        guard !changes.isEmpty else { return }
        let report = await carryOut(changes)
        logger.info("drift repair: \(report)")
        for rejection in report.rejected { logger.error("rejected: \(rejection)") }
        for failure in report.failures { logger.error("\(failure)") }
        if !report.failures.isEmpty {
            for change in changes { dirty.insert(change.reference) }
            if let requests = repairListener {
                Task {
                    try? await Task.sleep(for: .seconds(5))
                    requests.yield()
                }
            }
        }
    }

    // MARK: Background work

    public func run() async throws {
        let mode = settings.driftRepair
        let (repairs, repairContinuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        let (newScopes, scopesContinuation) = AsyncStream.makeStream(of: WatchScope.self)
        repairListener?.finish()
        newScopesListener?.finish()
        repairListener = repairContinuation
        newScopesListener = scopesContinuation
        // Anything noticed before this run (or while this replica did not lead) is looked at now.
        if !dirty.isEmpty { repairContinuation.yield() }
        let known = Array(scopes.keys)
        defer {
            repairContinuation.finish()
            scopesContinuation.finish()
        }
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                for await _ in repairs { await self.repair() }
            }
            switch mode {
            case .watch: group.addTask { await self.watch(known: known, newScopes: newScopes) }
            case .relist: group.addTask { await self.relistLoop() }
            case .off: break
            }
            await group.waitForAll()
        }
    }

    /// Watches the scopes listed so far and each one listed later, until cancelled.
    private nonisolated func watch(known: [WatchScope], newScopes: AsyncStream<WatchScope>) async {
        await withTaskGroup(of: Void.self) { group in
            for scope in known { group.addTask { await self.watchLoop(scope) } }
            for await scope in newScopes {
                group.addTask { await self.watchLoop(scope) }
            }
            group.cancelAll()
        }
    }

    private nonisolated func watchLoop(_ scope: WatchScope) async {
        var backoff: Duration = .seconds(1)
        var resourceVersion = await scopes[scope] ?? ""
        let timeout = Int(settings.watchTimeout.components.seconds)
        while !Task.isCancelled {
            do {
                let events = try await client.watch(
                    scope.resource, namespace: scope.namespace, resourceVersion: resourceVersion,
                    timeoutSeconds: timeout)
                var expired = false
                for try await event in events {
                    backoff = .seconds(1)
                    if event.kind == .error {
                        expired = true
                        break
                    }
                    resourceVersion = event.resourceVersion ?? resourceVersion
                    await ingest(event, scope: scope)
                }
                if expired {
                    logger.info("watch of \(scope) expired; listing again")
                    resourceVersion = try await relist(scope, noticeDrift: true)
                }
            } catch {
                if Task.isCancelled { return }
                logger.warning("watch of \(scope) failed: \(error); listing again in \(backoff)")
                do {
                    try await Task.sleep(for: backoff)
                } catch {
                    return
                }
                backoff = min(backoff * 2, .seconds(30))
                if let listed = try? await relist(scope, noticeDrift: true) { resourceVersion = listed }
            }
        }
    }

    private nonisolated func relistLoop() async {
        while true {
            do {
                try await Task.sleep(for: settings.relistInterval)
            } catch {
                return
            }
            for scope in await Array(scopes.keys) {
                do throws(KubernetesAPIError) {
                    try await relist(scope, noticeDrift: true)
                } catch {
                    logger.warning("re-listing \(scope) failed: \(error)")
                }
            }
        }
    }

    // MARK: Gate

    private func enter() async {
        if gate.tryEnter() { return }
        await withCheckedContinuation { gate.enqueue($0) }
    }

    private func leave() {
        gate.leave()
    }
}
