/// The debouncer's three rules, with the original system's defaults.
public struct DebounceSettings: Hashable, Sendable {
    /// Push when no new update arrived for this long.
    public var quiet: Duration
    /// While updates keep coming, push at the latest this long after the first one of the burst.
    public var maxDelay: Duration
    /// Push at once when a burst holds more than this many updates.
    public var maxEvents: Int

    /// Creates settings; the defaults are 1 s, 10 s and 1000.
    public init(quiet: Duration = .seconds(1), maxDelay: Duration = .seconds(10), maxEvents: Int = 1000) {
        self.quiet = quiet
        self.maxDelay = maxDelay
        self.maxEvents = maxEvents
    }
}
