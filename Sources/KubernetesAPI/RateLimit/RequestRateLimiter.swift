import Synchronization

/// Spaces requests through a ``TokenBucket`` shared by every request of one client (client-go's QPS/burst).
public final class RequestRateLimiter: Sendable {
    private let bucket: Mutex<TokenBucket>
    private let origin = ContinuousClock.now
    private let sleep: @Sendable (Duration) async throws -> Void

    /// Creates a limiter; `qps` ≤ 0 disables it.
    ///
    /// - Parameter sleep: How to wait (injectable for tests).
    public init(
        qps: Double, burst: Int,
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }
    ) {
        self.bucket = Mutex(TokenBucket(rate: qps, burst: burst))
        self.sleep = sleep
    }

    /// Waits for a token; returns how long it waited.
    @discardableResult
    public func acquire() async throws -> Duration {
        let now = origin.duration(to: .now)
        let wait = bucket.withLock { $0.reserve(at: now) }
        if wait > .zero { try await sleep(wait) }
        return wait
    }
}
