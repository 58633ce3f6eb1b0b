/// The debouncer's timing rules as a pure value: it only records when updates arrived and answers when the
/// pending burst is due. No clocks or tasks live here, so every rule is testable with plain instants.
public struct DebounceTimer<Instant: InstantProtocol>: Sendable where Instant.Duration == Duration {
    /// The rules.
    public let settings: DebounceSettings
    /// When the first update of the pending burst arrived.
    public private(set) var firstUpdate: Instant?
    /// When the latest update of the pending burst arrived.
    public private(set) var lastUpdate: Instant?
    /// How many updates the pending burst holds.
    public private(set) var pendingCount = 0

    /// Creates a timer with nothing pending.
    public init(settings: DebounceSettings) {
        self.settings = settings
    }

    /// Records an update at `now`.
    ///
    /// - Returns: `true` when the burst now holds more than `maxEvents` updates and must be pushed at once.
    public mutating func record(at now: Instant) -> Bool {
        if firstUpdate == nil { firstUpdate = now }
        lastUpdate = now
        pendingCount += 1
        return pendingCount > settings.maxEvents
    }

    /// When the pending burst must be pushed: after the quiet period, or after the max delay, whichever is first.
    /// `nil` when nothing is pending.
    public var deadline: Instant? {
        guard let firstUpdate, let lastUpdate else { return nil }
        let quietDeadline = lastUpdate.advanced(by: settings.quiet)
        let maxDeadline = firstUpdate.advanced(by: settings.maxDelay)
        return min(quietDeadline, maxDeadline)
    }

    /// Whether the pending burst is due at `now`.
    public func isDue(at now: Instant) -> Bool {
        guard let deadline else { return false }
        return deadline <= now
    }

    /// Forgets the pending burst after it was pushed.
    public mutating func reset() {
        firstUpdate = nil
        lastUpdate = nil
        pendingCount = 0
    }
}
