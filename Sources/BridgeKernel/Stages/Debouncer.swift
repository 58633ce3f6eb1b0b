/// The debounce stage: merges source updates per ``ChangeKey`` and hands the consumer every key that is due by
/// the ``DebounceSettings`` rules, as one ``ChangeSet``.
///
/// Each service is debounced on its own, so a service that changes all the time cannot delay the others, and a
/// steady stream of changes across many services flows out as each one falls quiet. The consumer pulls batches
/// from ``batches``: while it is busy writing, due keys wait and are taken together by its next pull, so batch
/// size adapts to how fast the sinks are. Keys due within ``batchWindow`` of the first due one are taken with it,
/// so a stream of updates does not turn into a stream of one-service pushes.
///
/// Time comes from the injected clock, so tests drive it with a manual clock instead of sleeping. The debouncer
/// never waits for its consumer: intake goes on while a push is written. There is one consumer.
public actor Debouncer<C: Clock> where C.Duration == Duration {
    /// The merged batches, in order. Ends after ``finish()`` once everything was taken, or when the consuming
    /// task is cancelled.
    public nonisolated var batches: Batches { Batches(debouncer: self) }

    /// How far past the first due key others are taken along with it: a tenth of the quiet period, at most 50 ms.
    public nonisolated let batchWindow: Duration

    private let clock: C
    private var timer: DebounceTimer<ChangeKey, C.Instant>
    private var pending = ChangeSet()
    /// Pushed ahead of the timing rules (over `maxEvents`, flush, repush), waiting for the consumer.
    private var ready: ChangeSet?
    /// When the first update held in ``ready`` arrived.
    private var readySince: C.Instant?
    /// When the first update of the batch last handed to the consumer arrived (`nil` for an empty batch), so the
    /// consumer can measure how long changes took to reach the sinks.
    public private(set) var lastBatchFirstUpdate: C.Instant?
    private var finished = false
    private var consumer: CheckedContinuation<Void, Never>?
    private var consumerWakesAt: C.Instant?
    private var alarm: Task<Void, Never>?

    /// Creates a debouncer with the given rules and clock.
    public init(settings: DebounceSettings, clock: C) {
        self.clock = clock
        self.timer = DebounceTimer(settings: settings)
        self.batchWindow = min(settings.quiet / 10, .milliseconds(50))
    }

    /// The number of updates waiting for their keys to fall due.
    public var pendingCount: Int { timer.pendingCount }

    /// Adds an update. When more than `maxEvents` updates are pending, everything pending is made ready at once
    /// if the consumer is busy (behind: the next push catches up); if it is idle, only the services due first are,
    /// until nine tenths are left.
    public func receive(_ update: SourceUpdate) {
        let key = pending.add(update)
        if case .snapshot = update.change {
            timer.absorb(into: key) { $0.source == update.source }
        }
        if timer.record(key, at: clock.now) {
            // An idle consumer means nothing pending is due yet: flushing it all would restart every service's
            // burst at the same instant, and a steady stream near the limit would then leave as one large push
            // per quiet period. A busy consumer is behind, and taking everything lets its next push catch up.
            if consumer != nil { makeEarliestReady() } else { makeEverythingReady() }
        } else if let deadline = timer.deadline, consumer != nil, consumerWakesAt.map({ deadline < $0 }) ?? true {
            wakeConsumer()
        }
    }

    /// Makes whatever is pending ready now, regardless of the timing rules (used on shutdown).
    public func flush() {
        if !pending.isEmpty { makeEverythingReady() }
    }

    /// Hands the consumer an empty batch now unless updates are pending (which will be pushed anyway), so it
    /// converges the sinks again — used to retry writes that failed while the registry is quiet.
    public func requestRepush() {
        guard pending.isEmpty, ready == nil else { return }
        ready = ChangeSet()
        wakeConsumer()
    }

    /// Makes everything pending ready and ends ``batches`` once it was taken.
    public func finish() {
        flush()
        finished = true
        wakeConsumer()
    }

    /// The next batch: everything ready plus every key that is due, waiting until there is one.
    /// `nil` once finished and drained, or when the calling task is cancelled.
    func next() async -> ChangeSet? {
        while !Task.isCancelled {
            let now = clock.now
            var batch = ready
            var since = readySince
            ready = nil
            readySince = nil
            if timer.isDue(at: now) {
                let (keys, firstUpdate) = timer.takeDue(by: now.advanced(by: batchWindow))
                let due = pending.extract(keys)
                if batch == nil { batch = due } else { batch!.append(due) }
                since = [since, firstUpdate].compactMap { $0 }.min()
            }
            if let batch {
                lastBatchFirstUpdate = since
                return batch
            }
            if finished { return nil }
            await waitForWork(until: timer.deadline)
        }
        return nil
    }

    /// Over `maxEvents` with an idle consumer: the keys due first are made ready until a tenth of the limit is
    /// free again.
    private func makeEarliestReady() {
        let limit = timer.settings.maxEvents
        let (keys, firstUpdate) = timer.takeEarliest(leaving: limit - max(1, limit / 10))
        makeReady(pending.extract(keys), firstUpdate: firstUpdate)
    }

    private func makeEverythingReady() {
        let firstUpdate = timer.firstPendingUpdate
        let taken = pending
        pending = ChangeSet()
        timer.reset()
        makeReady(taken, firstUpdate: firstUpdate)
    }

    /// Adds `taken` to what waits for the consumer and wakes it.
    private func makeReady(_ taken: ChangeSet, firstUpdate: C.Instant?) {
        readySince = [readySince, firstUpdate].compactMap { $0 }.min()
        if ready == nil { ready = taken } else { ready!.append(taken) }
        wakeConsumer()
    }

    /// Suspends the consumer until `deadline` (if any) or until new work or cancellation wakes it.
    private func waitForWork(until deadline: C.Instant?) async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                consumer?.resume()
                consumer = continuation
                consumerWakesAt = deadline
                alarm?.cancel()
                alarm = nil
                if let deadline {
                    let clock = self.clock
                    alarm = Task { [weak self] in
                        do {
                            try await clock.sleep(until: deadline, tolerance: nil)
                        } catch {
                            return  // Cancelled: the consumer was woken by something else first.
                        }
                        await self?.wakeConsumer()
                    }
                }
            }
        } onCancel: {
            Task { await self.wakeConsumer() }
        }
    }

    private func wakeConsumer() {
        alarm?.cancel()
        alarm = nil
        consumerWakesAt = nil
        consumer?.resume()
        consumer = nil
    }
}

extension Debouncer {
    /// The batches of a ``Debouncer``, pulled one at a time by its consumer.
    public struct Batches: AsyncSequence, Sendable {
        public typealias Element = ChangeSet
        let debouncer: Debouncer

        public func makeAsyncIterator() -> Iterator { Iterator(debouncer: debouncer) }

        /// Pulls the next due batch.
        public struct Iterator: AsyncIteratorProtocol {
            let debouncer: Debouncer

            public mutating func next() async -> ChangeSet? { await debouncer.next() }
        }
    }
}
