#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// When and how long to wait before repeating a failed HTTP request.
///
/// Backoff is exponential with *full jitter*: before retry `n` (1-based) the client waits a uniformly random
/// duration in `0 ... min(maxBackoff, initialBackoff × multiplier^(n-1))`. A `Retry-After` header given in seconds
/// replaces the jittered delay (capped at ``maxRetryAfter``).
///
/// The policy itself is pure: ``delay(beforeRetry:retryAfter:unitRandom:)`` and ``shouldRetry(_:method:)`` take
/// every input as a parameter, and ``HTTPClient/execute(_:retry:environment:)`` injects the sleep function and the
/// random source through ``RetryEnvironment``, so the schedule is testable without sleeping.
public struct RetryPolicy: Sendable, Hashable {
    /// Total attempts including the first one; `1` disables retries.
    public var maxAttempts: Int
    /// The backoff ceiling before the first retry.
    public var initialBackoff: Duration
    /// The upper bound of every backoff ceiling.
    public var maxBackoff: Duration
    /// The growth factor of the ceiling per retry.
    public var multiplier: Double
    /// Response statuses that are retried.
    public var retryableStatuses: Set<Int>
    /// Transport failures that are retried.
    public var retryableErrors: Set<TransportError.Code>
    /// Whether a `Retry-After: <seconds>` response header sets the delay.
    public var honorsRetryAfter: Bool
    /// The longest `Retry-After` delay accepted; longer values are clamped.
    public var maxRetryAfter: Duration
    /// Whether POST, PATCH and other non-idempotent requests are retried after failures that may have reached
    /// the server (timeouts, dropped connections, statuses). Connection failures are always retryable because
    /// the request was never sent.
    public var retriesNonIdempotentRequests: Bool

    /// The default: 4 attempts, 200 ms initial ceiling doubling up to 10 s; connection failures, timeouts,
    /// dropped connections, 429 and every 5xx status are retried; `Retry-After` is honoured up to 60 s.
    public init(
        maxAttempts: Int = 4,
        initialBackoff: Duration = .milliseconds(200),
        maxBackoff: Duration = .seconds(10),
        multiplier: Double = 2,
        retryableStatuses: Set<Int> = Set([429]).union(500...599),
        retryableErrors: Set<TransportError.Code> = [.connectFailed, .timedOut, .connectionClosed],
        honorsRetryAfter: Bool = true,
        maxRetryAfter: Duration = .seconds(60),
        retriesNonIdempotentRequests: Bool = false
    ) {
        self.maxAttempts = maxAttempts
        self.initialBackoff = initialBackoff
        self.maxBackoff = maxBackoff
        self.multiplier = multiplier
        self.retryableStatuses = retryableStatuses
        self.retryableErrors = retryableErrors
        self.honorsRetryAfter = honorsRetryAfter
        self.maxRetryAfter = maxRetryAfter
        self.retriesNonIdempotentRequests = retriesNonIdempotentRequests
    }

    /// Never retries.
    public static let none = RetryPolicy(maxAttempts: 1)

    /// The backoff ceiling before retry `retry` (1-based): `min(maxBackoff, initialBackoff × multiplier^(retry-1))`.
    public func backoffCeiling(beforeRetry retry: Int) -> Duration {
        let factor = pow(self.multiplier, Double(max(0, retry - 1)))
        // Compare in seconds first: a huge factor would overflow Duration arithmetic.
        guard factor.isFinite, self.initialBackoff.seconds * factor < self.maxBackoff.seconds else {
            return self.maxBackoff
        }
        return self.initialBackoff * factor
    }

    /// The wait before retry `retry` (1-based).
    ///
    /// - Parameters:
    ///   - retryAfter: The server's `Retry-After` delay, if it sent one and the policy honours it.
    ///   - unitRandom: A value in `0 ..< 1` from the random source; the delay is `unitRandom × ceiling`.
    public func delay(beforeRetry retry: Int, retryAfter: Duration?, unitRandom: Double) -> Duration {
        if self.honorsRetryAfter, let retryAfter {
            return min(max(retryAfter, .zero), self.maxRetryAfter)
        }
        let fraction = min(max(unitRandom, 0), 1)
        return self.backoffCeiling(beforeRetry: retry) * fraction
    }

    /// Whether the outcome of an attempt calls for another attempt (ignoring ``maxAttempts``).
    public func shouldRetry(_ outcome: Result<HTTPResponse, any Error>, method: HTTPMethod) -> Bool {
        let mayRepeat = method.isIdempotent || self.retriesNonIdempotentRequests
        switch outcome {
        case .success(let response):
            return mayRepeat && self.retryableStatuses.contains(response.status)
        case .failure(let error as TransportError):
            guard self.retryableErrors.contains(error.code) else { return false }
            return mayRepeat || error.code == .connectFailed
        case .failure:
            return false
        }
    }

    /// The delay requested by a `Retry-After` header in seconds (`Retry-After: 120`); HTTP dates are ignored.
    public static func retryAfter(in response: HTTPResponse) -> Duration? {
        guard let value = response.headers["Retry-After"], let seconds = Int(value), seconds >= 0 else {
            return nil
        }
        return .seconds(seconds)
    }
}

extension Duration {
    /// The duration in (fractional) seconds.
    fileprivate var seconds: Double {
        let (seconds, attoseconds) = self.components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
