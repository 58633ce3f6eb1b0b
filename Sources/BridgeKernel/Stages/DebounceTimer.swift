import HeapModule

/// The debouncer's timing rules as a pure value: it records when updates arrived under which ``ChangeKey`` (or
/// any key) and answers which keys are due. No clocks or tasks live here, so every rule is testable with plain
/// instants.
///
/// Every key has its own burst: it is due once it has been quiet for `quiet`, or `maxDelay` after its first
/// update, whichever comes first. `maxEvents` counts the updates pending under all keys together.
public struct DebounceTimer<Key: Hashable & Sendable, Instant: InstantProtocol>: Sendable
where Instant.Duration == Duration {
    /// The rules.
    public let settings: DebounceSettings
    /// How many updates are pending, under all keys.
    public private(set) var pendingCount = 0

    private struct Burst: Sendable {
        var first: Instant
        var last: Instant
        var updates: Int
        var deadline: Instant
    }

    /// A key's deadline as of when it was scheduled; it is stale once the key's burst moved on.
    private struct Scheduled: Comparable, Sendable {
        var deadline: Instant
        var key: Key

        static func < (lhs: Self, rhs: Self) -> Bool { lhs.deadline < rhs.deadline }
        static func == (lhs: Self, rhs: Self) -> Bool { lhs.deadline == rhs.deadline && lhs.key == rhs.key }
    }

    private var bursts: [Key: Burst] = [:]
    /// Deadlines by time; entries go stale instead of being removed (a key updated 1 000 times a second would
    /// otherwise cost a heap removal per update) and are dropped when they reach the top.
    private var schedule = Heap<Scheduled>()

    /// Creates a timer with nothing pending.
    public init(settings: DebounceSettings) {
        self.settings = settings
    }

    /// How many keys have updates pending.
    public var pendingKeys: Int { bursts.count }

    /// Records an update under `key` at `now`.
    ///
    /// - Returns: `true` when more than `maxEvents` updates are now pending, so everything must be pushed at once.
    public mutating func record(_ key: Key, at now: Instant) -> Bool {
        var burst = bursts[key] ?? Burst(first: now, last: now, updates: 0, deadline: now)
        burst.last = now
        burst.updates += 1
        reschedule(key, burst)
        dropStaleEntries()
        pendingCount += 1
        return pendingCount > settings.maxEvents
    }

    /// Moves the pending updates of every key matching `isAbsorbed` under `key`, keeping the earliest first update
    /// so the max delay still counts from it.
    public mutating func absorb(into key: Key, where isAbsorbed: (Key) -> Bool) {
        let absorbed = bursts.filter { $0.key != key && isAbsorbed($0.key) }
        guard !absorbed.isEmpty else { return }
        var target = bursts[key]
        for (absorbedKey, burst) in absorbed {
            bursts[absorbedKey] = nil
            if var merged = target {
                merged.first = min(merged.first, burst.first)
                merged.last = max(merged.last, burst.last)
                merged.updates += burst.updates
                target = merged
            } else {
                target = burst
            }
        }
        reschedule(key, target!)
        dropStaleEntries()
    }

    /// The earliest deadline of any pending key; `nil` when nothing is pending.
    public var deadline: Instant? { schedule.min?.deadline }

    /// Whether any key is due at `now`.
    public func isDue(at now: Instant) -> Bool {
        guard let deadline else { return false }
        return deadline <= now
    }

    /// The deadline of one key's burst; `nil` when nothing is pending under it.
    public func deadline(of key: Key) -> Instant? { bursts[key]?.deadline }

    /// Removes every key whose deadline is at or before `instant` and returns them, earliest first, with when
    /// the first update among them arrived.
    public mutating func takeDue(by instant: Instant) -> (keys: [Key], firstUpdate: Instant?) {
        take(until: .after(instant))
    }

    /// Removes the keys that fall due first until at most `limit` updates are pending, and returns them, earliest
    /// first, with when the first update among them arrived (the `maxEvents` rule).
    public mutating func takeEarliest(leaving limit: Int) -> (keys: [Key], firstUpdate: Instant?) {
        take(until: .pendingAtMost(limit))
    }

    private enum Stop {
        /// Stop at the first key due after this instant.
        case after(Instant)
        /// Stop once at most this many updates are pending.
        case pendingAtMost(Int)
    }

    /// Removes keys in deadline order until `stop` holds.
    private mutating func take(until stop: Stop) -> (keys: [Key], firstUpdate: Instant?) {
        var taken: [Key] = []
        var firstUpdate: Instant?
        loop: while let next = schedule.min {
            switch stop {
            case .after(let instant): if next.deadline > instant { break loop }
            case .pendingAtMost(let limit): if pendingCount <= limit { break loop }
            }
            schedule.removeMin()
            guard let burst = bursts[next.key], burst.deadline == next.deadline else { continue }
            bursts[next.key] = nil
            pendingCount -= burst.updates
            taken.append(next.key)
            firstUpdate = min(firstUpdate ?? burst.first, burst.first)
        }
        dropStaleEntries()
        return (taken, firstUpdate)
    }

    /// When the first of all pending updates arrived; `nil` when nothing is pending.
    public var firstPendingUpdate: Instant? { bursts.values.map(\.first).min() }

    /// Forgets everything pending (after it was all pushed).
    public mutating func reset() {
        bursts.removeAll()
        schedule = Heap()
        pendingCount = 0
    }

    private mutating func reschedule(_ key: Key, _ burst: Burst) {
        var burst = burst
        burst.deadline = min(burst.last.advanced(by: settings.quiet), burst.first.advanced(by: settings.maxDelay))
        if bursts[key]?.deadline != burst.deadline { schedule.insert(Scheduled(deadline: burst.deadline, key: key)) }
        bursts[key] = burst
    }

    /// Keeps the top of the schedule current, so ``deadline`` needs no mutation.
    private mutating func dropStaleEntries() {
        while let top = schedule.min, bursts[top.key]?.deadline != top.deadline {
            schedule.removeMin()
        }
    }
}
