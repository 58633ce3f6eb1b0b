/// A token bucket as pure state: `rate` tokens per second refill a bucket holding at most `burst`.
///
/// ``reserve(at:)`` always succeeds and returns how long the caller must wait before acting (the bucket may go
/// into debt), which is how client-go's limiter spaces requests. Time is passed in, so the arithmetic is tested
/// without a clock.
public struct TokenBucket: Sendable, Hashable {
    /// Tokens added per second; `nil` disables limiting.
    public let rate: Double?
    /// The bucket size (requests that may go at once after a quiet spell).
    public let burst: Int
    private var tokens: Double
    private var last: Duration?

    /// Creates a full bucket. `rate` ≤ 0 or `nil` disables limiting.
    public init(rate: Double?, burst: Int) {
        self.rate = rate.flatMap { $0 > 0 ? $0 : nil }
        self.burst = max(1, burst)
        self.tokens = Double(max(1, burst))
    }

    /// Takes one token at time `now` (any monotonic time origin) and returns the wait before it may be used.
    public mutating func reserve(at now: Duration) -> Duration {
        guard let rate else { return .zero }
        if let last {
            let elapsed = Self.seconds(now - last)
            if elapsed > 0 { tokens = min(Double(burst), tokens + elapsed * rate) }
        }
        last = max(now, last ?? now)
        tokens -= 1
        guard tokens < 0 else { return .zero }
        return .nanoseconds(Int64((-tokens / rate * 1e9).rounded(.up)))
    }

    private static func seconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
