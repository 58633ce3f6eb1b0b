/// Which scopes to re-find on a poll so that every scope is re-found once per resync interval, a few at a time.
///
/// Re-finding every scope at once stalls the sync loop for seconds on a large registry (100 scopes with 100 000
/// instances), and watch events queue behind it; spreading the finds over the interval keeps each poll short.
/// Pure: the caller passes the instants.
struct ResyncSchedule<Instant: InstantProtocol>: Sendable where Instant.Duration == Duration {
    /// How long a full round over every scope takes.
    let interval: Duration
    private var lastStep: Instant?
    /// Scopes owed so far (fractions carry over to the next poll).
    private var credit = 0.0
    /// Where the next round continues, as an index into the sorted scopes.
    private var cursor = 0

    init(interval: Duration) {
        self.interval = interval
    }

    /// The scopes due at `now`, out of `scopes` (sorted; the cursor wraps when the set changes size).
    mutating func due(_ scopes: [WatchScope], at now: Instant) -> [WatchScope] {
        defer { lastStep = now }
        guard !scopes.isEmpty, let lastStep else { return [] }
        credit = min(credit + Double(scopes.count) * (lastStep.duration(to: now) / interval), Double(scopes.count))
        // The epsilon keeps a sum of fractions such as 12 × 5/12 from falling just short of a whole scope.
        let count = Int(credit + 1e-9)
        credit -= Double(count)
        let start = cursor % scopes.count
        cursor = (start + count) % scopes.count
        return (0..<count).map { scopes[(start + $0) % scopes.count] }
    }
}
