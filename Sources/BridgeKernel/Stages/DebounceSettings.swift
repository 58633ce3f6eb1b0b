/// The debouncer's three rules, applied to each service on its own.
///
/// By default the max delay equals the quiet period, so every change reaches the sinks within one quiet period of
/// its arrival (plus processing) and each service is written at most once per quiet period: a service that keeps
/// changing is pushed every quiet period rather than held until it pauses. A longer max delay lets a busy service
/// settle first (the original system waits up to 10 s), at the cost of that service's freshness.
public struct DebounceSettings: Hashable, Sendable {
    /// Push a service when no new update of it arrived for this long.
    public var quiet: Duration
    /// While a service's updates keep coming, push it at the latest this long after the first one of its burst.
    public var maxDelay: Duration
    /// When more than this many updates are pending: push everything at once if the pipeline is busy writing (so
    /// it catches up), or only the services due first (until nine tenths are left) if it is idle.
    public var maxEvents: Int

    /// Creates settings; the defaults are a quiet period of 1 s, a max delay equal to the quiet period, and 1000
    /// events.
    public init(quiet: Duration = .seconds(1), maxDelay: Duration? = nil, maxEvents: Int = 1000) {
        self.quiet = quiet
        self.maxDelay = maxDelay ?? quiet
        self.maxEvents = maxEvents
    }
}
