/// The debounce stage: merges a burst of source updates into one ``ChangeSet`` and emits it on ``batches`` when
/// the burst is due by the ``DebounceSettings`` rules.
///
/// Time comes from the injected clock, so tests drive it with a manual clock instead of sleeping. The debouncer
/// never waits for the consumer of ``batches``: a slow sink cannot stall the intake of updates.
public actor Debouncer<C: Clock> where C.Duration == Duration {
    /// The merged bursts, in order. Finishes after ``finish()``.
    public nonisolated let batches: AsyncStream<ChangeSet>

    private let clock: C
    private let continuation: AsyncStream<ChangeSet>.Continuation
    private var timer: DebounceTimer<C.Instant>
    private var pending = ChangeSet()
    private var wakeUp: Task<Void, Never>?
    private var wakeUpDeadline: C.Instant?

    /// Creates a debouncer with the given rules and clock.
    public init(settings: DebounceSettings, clock: C) {
        self.clock = clock
        self.timer = DebounceTimer(settings: settings)
        (batches, continuation) = AsyncStream.makeStream(of: ChangeSet.self)
    }

    /// The number of updates waiting in the current burst.
    public var pendingCount: Int { timer.pendingCount }

    /// Adds an update to the current burst; pushes at once when the burst exceeds `maxEvents`.
    public func receive(_ update: SourceUpdate) {
        pending.add(update)
        if timer.record(at: clock.now) {
            push()
        } else {
            scheduleWakeUp()
        }
    }

    /// Pushes whatever is pending now, regardless of the timing rules (used on shutdown).
    public func flush() {
        if !pending.isEmpty { push() }
    }

    /// Emits an empty batch now unless a burst is pending (which will be pushed anyway), so the consumer
    /// converges the sinks again — used to retry writes that failed while the registry is quiet.
    public func requestRepush() {
        if pending.isEmpty { continuation.yield(ChangeSet()) }
    }

    /// Flushes and ends ``batches``.
    public func finish() {
        flush()
        wakeUp?.cancel()
        continuation.finish()
    }

    private func wake(scheduledFor deadline: C.Instant) {
        // A wake-up that lost the race against its own cancellation must not clear its successor.
        guard deadline == wakeUpDeadline else { return }
        wakeUp = nil
        wakeUpDeadline = nil
        if timer.isDue(at: clock.now) {
            push()
        } else {
            scheduleWakeUp()
        }
    }

    private func push() {
        let batch = pending
        pending = ChangeSet()
        timer.reset()
        wakeUp?.cancel()
        wakeUp = nil
        wakeUpDeadline = nil
        continuation.yield(batch)
    }

    private func scheduleWakeUp() {
        guard let deadline = timer.deadline, deadline != wakeUpDeadline else { return }
        wakeUp?.cancel()
        wakeUpDeadline = deadline
        let clock = self.clock
        wakeUp = Task { [weak self] in
            do {
                try await clock.sleep(until: deadline, tolerance: nil)
            } catch {
                return  // Cancelled: a newer deadline replaced this one.
            }
            await self?.wake(scheduledFor: deadline)
        }
    }
}
