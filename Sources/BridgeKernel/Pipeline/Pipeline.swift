import Logging
import Synchronization

/// Wires the stages: sources → debounce → transforms → render → sinks.
///
/// ``run()`` runs until ``shutdown()`` is called (graceful: sources stop, the pending burst is pushed, in-flight
/// writes finish, then `run()` returns) or until its task is cancelled (immediate).
public final class Pipeline<C: Clock>: Sendable where C.Duration == Duration {
    private let sources: [any RegistrySource]
    private let transforms: [any ServiceTransform]
    private let renderer: any ServiceRenderer
    private let sinks: [any Sink]
    private let debounce: DebounceSettings
    private let sinkRetryInterval: Duration
    private let clock: C
    private let logger: Logger
    private let leadership: LeadershipGate
    private let stopSignal = ShutdownSignal()
    private let observers: Mutex<[@Sendable (PipelineEvent) -> Void]> = Mutex([])

    /// Creates a pipeline. Source names must be unique.
    ///
    /// Sinks write only while `leadership` says this replica leads. A follower still reads its sources and builds
    /// the desired state (its caches stay warm); when it becomes leader the current desired state is pushed at
    /// once, and when it stops leading any push in flight and the sinks' background work are cancelled.
    public init(
        sources: [any RegistrySource],
        transforms: [any ServiceTransform],
        renderer: any ServiceRenderer,
        sinks: [any Sink],
        debounce: DebounceSettings,
        sinkRetryInterval: Duration = .seconds(5),
        leadership: LeadershipGate = LeadershipGate(leading: true),
        clock: C,
        logger: Logger
    ) {
        self.sinkRetryInterval = sinkRetryInterval
        self.leadership = leadership
        self.sources = sources
        self.transforms = transforms
        self.renderer = renderer
        self.sinks = sinks
        self.debounce = debounce
        self.clock = clock
        self.logger = logger
    }

    /// Registers a callback for pipeline events (pushes, diagnostics, sink reports). Used for progress output,
    /// metrics and tests.
    public func observe(_ observer: @escaping @Sendable (PipelineEvent) -> Void) {
        observers.withLock { $0.append(observer) }
    }

    /// Starts a graceful shutdown: stop reading sources, push what is pending, finish writing, return from `run()`.
    public func shutdown() {
        stopSignal.fire()
    }

    /// Runs the pipeline until shut down.
    public func run() async throws {
        let debouncer = Debouncer(settings: debounce, clock: clock)
        let (intake, intakeContinuation) = AsyncStream.makeStream(of: SourceUpdate.self)
        logger.info(
            "pipeline starting",
            metadata: [
                "sources": "\(sources.map(\.name))", "sinks": "\(sinks.map(\.name))",
                "debounce": "quiet=\(debounce.quiet) maxDelay=\(debounce.maxDelay) maxEvents=\(debounce.maxEvents)",
            ])
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.runSources(into: intakeContinuation) }
            group.addTask {
                for await update in intake {
                    await debouncer.receive(update)
                }
                await debouncer.finish()
            }
            group.addTask { await self.runSinkBackgroundWork() }
            group.addTask { await self.pushOnLeadershipGained(debouncer) }
            await self.consume(debouncer)
        }
        logger.info("pipeline stopped")
    }

    private func runSources(into intake: AsyncStream<SourceUpdate>.Continuation) async {
        await withTaskGroup(of: Bool.self) { group in
            for source in sources {
                group.addTask {
                    let output = SourceOutput(source: source.name) { intake.yield($0) }
                    do {
                        try await source.run(output: output)
                    } catch is CancellationError {
                    } catch {
                        self.logger.error("source \(source.name) failed: \(error)")
                        output.health(.unhealthy(reason: "\(error)"))
                    }
                    return false
                }
            }
            group.addTask {
                await self.stopSignal.wait()
                return true
            }
            while let stopRequested = await group.next() {
                if stopRequested { group.cancelAll() }
            }
        }
        intake.finish()
    }

    /// Runs every sink's background work (such as drift repair, which writes) while this replica leads, until
    /// shutdown.
    private func runSinkBackgroundWork() async {
        await withTaskGroup(of: Void.self) { outer in
            outer.addTask { await self.stopSignal.wait() }
            outer.addTask {
                while !Task.isCancelled {
                    await self.leadership.wait(until: true)
                    if Task.isCancelled { return }
                    await withTaskGroup(of: Void.self) { group in
                        for sink in self.sinks {
                            group.addTask {
                                do {
                                    try await sink.run()
                                } catch is CancellationError {
                                } catch {
                                    self.logger.error("sink \(sink.name) background work failed: \(error)")
                                }
                            }
                        }
                        // Sinks without background work return at once; the others run until leadership is lost
                        // (or shutdown cancels this task).
                        await self.leadership.wait(until: false)
                        group.cancelAll()
                    }
                }
            }
            await outer.next()
            outer.cancelAll()
        }
    }

    /// Pushes the current desired state whenever this replica becomes leader, until shutdown.
    private func pushOnLeadershipGained(_ debouncer: Debouncer<C>) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.stopSignal.wait() }
            group.addTask {
                var leading = self.leadership.isLeading
                while !Task.isCancelled {
                    await self.leadership.wait(until: !leading)
                    if Task.isCancelled { return }
                    leading.toggle()
                    if leading {
                        self.logger.notice("became the leader: writing the current desired state")
                        await debouncer.requestRepush()
                    } else {
                        self.logger.warning("stopped leading: writes stopped")
                    }
                }
            }
            await group.next()
            group.cancelAll()
        }
    }

    /// Applies each batch and pushes it to every sink. When a sink fails (wholly or for some objects), the same
    /// desired state is pushed again after `sinkRetryInterval`, so a quiet registry still converges.
    private func consume(_ debouncer: Debouncer<C>) async {
        var retry: Task<Void, Never>?
        defer { retry?.cancel() }
        var registry = RegistryState(sourceNames: sources.map(\.name))
        var builder = DesiredStateBuilder(transforms: transforms, renderer: renderer)
        for await batch in debouncer.batches {
            retry?.cancel()
            retry = nil
            var failed = false
            let receivedAt = await debouncer.lastBatchFirstUpdate
            let changed = registry.apply(batch)
            for (source, health) in batch.health {
                logger.info("source \(source) is \(health)")
            }
            let (state, diagnostics) = builder.update(registry: registry, changed: changed)
            for diagnostic in diagnostics {
                switch diagnostic.severity {
                case .warning: logger.warning("\(diagnostic)")
                case .error: logger.error("\(diagnostic)")
                }
            }
            let summary = PushSummary(
                revision: state.revision, updates: batch.updateCount, updatesBySource: batch.updatesBySource,
                servicesChanged: changed.count,
                services: registry.services.count,
                instances: registry.services.values.reduce(0) { $0 + $1.instances.count },
                groups: state.groups.count, objects: state.objectCount, pruneAllowed: state.pruneAllowed,
                sources: registry.sources)
            notify(.push(summary, diagnostics))
            guard leadership.isLeading else {
                logger.info(
                    "push #\(state.revision): \(batch.updateCount) updates, \(changed.count) services changed; desired \(summary.services) services, \(summary.objects) objects; not written: this replica is a follower"
                )
                continue
            }
            let pruneNote = state.pruneAllowed ? "" : " (pruning held back until every source is synced and healthy)"
            logger.info(
                "push #\(state.revision): \(batch.updateCount) updates, \(changed.count) services changed; desired \(summary.services) services, \(summary.objects) objects\(pruneNote)"
            )
            let completed = await withTaskGroup(of: Bool?.self) { group in
                group.addTask { await self.push(state) }
                group.addTask {
                    await self.leadership.wait(until: false)
                    return nil
                }
                let first = await group.next() ?? nil
                group.cancelAll()
                return first
            }
            guard let pushFailed = completed else {
                logger.warning("push #\(state.revision) cancelled: this replica stopped leading")
                notify(.pushCancelled(revision: state.revision))
                continue
            }
            failed = pushFailed
            if let receivedAt, batch.updateCount > 0 {
                notify(.written(revision: state.revision, latency: receivedAt.duration(to: clock.now)))
            }
            if failed {
                logger.warning("retrying the failed writes in \(DurationSyntax.format(sinkRetryInterval))")
                let clock = self.clock
                let interval = sinkRetryInterval
                retry = Task {
                    do {
                        try await clock.sleep(for: interval)
                    } catch {
                        return
                    }
                    await debouncer.requestRepush()
                }
            }
        }
    }

    /// Applies `state` to every sink in turn; returns whether any failed.
    private func push(_ state: DesiredState) async -> Bool {
        var failed = false
        for sink in sinks {
            if Task.isCancelled { return true }
            do {
                let report = try await sink.apply(state)
                for failure in report.failures { logger.error("sink \(sink.name): \(failure)") }
                for rejection in report.rejected { logger.error("sink \(sink.name): rejected: \(rejection)") }
                failed = failed || !report.failures.isEmpty
                logger.info("sink \(sink.name): \(report)")
                notify(.sinkApplied(sink: sink.name, revision: state.revision, report: report))
            } catch {
                logger.error("sink \(sink.name) could not apply push #\(state.revision): \(error)")
                notify(.sinkFailed(sink: sink.name, revision: state.revision, error: "\(error)"))
                failed = true
            }
        }
        return failed
    }

    private func notify(_ event: PipelineEvent) {
        for observer in observers.withLock({ $0 }) { observer(event) }
    }
}

/// What the pipeline reports to observers.
public enum PipelineEvent: Sendable {
    /// A burst was pushed to the sinks, with the diagnostics rendering produced.
    case push(PushSummary, [Diagnostic])
    /// A sink converged (possibly with per-object failures in the report).
    case sinkApplied(sink: String, revision: Int, report: SinkReport)
    /// A sink could not apply a push at all.
    case sinkFailed(sink: String, revision: Int, error: String)
    /// A push was cancelled because this replica stopped leading.
    case pushCancelled(revision: Int)
    /// Every sink finished a push; `latency` runs from the arrival of the push's oldest source update.
    case written(revision: Int, latency: Duration)
}

/// Counts describing one push.
public struct PushSummary: Sendable, Hashable {
    /// The push number.
    public var revision: Int
    /// Source updates merged into it.
    public var updates: Int
    /// Source updates merged into it, per source.
    public var updatesBySource: [String: Int]
    /// Services whose state changed.
    public var servicesChanged: Int
    /// Services known in total.
    public var services: Int
    /// Instances known in total.
    public var instances: Int
    /// Object groups desired.
    public var groups: Int
    /// Objects desired.
    public var objects: Int
    /// Whether sinks may prune.
    public var pruneAllowed: Bool
    /// Per-source status after the push.
    public var sources: [String: SourceStatus]

    /// Creates a summary.
    public init(
        revision: Int, updates: Int, updatesBySource: [String: Int], servicesChanged: Int, services: Int,
        instances: Int, groups: Int, objects: Int, pruneAllowed: Bool, sources: [String: SourceStatus]
    ) {
        self.revision = revision
        self.updates = updates
        self.updatesBySource = updatesBySource
        self.servicesChanged = servicesChanged
        self.services = services
        self.instances = instances
        self.groups = groups
        self.objects = objects
        self.pruneAllowed = pruneAllowed
        self.sources = sources
    }
}
