/// The side effects a retry loop needs, injectable so that tests run the schedule without waiting.
public struct RetryEnvironment: Sendable {
    /// Waits for the given duration; must throw `CancellationError` when the task is cancelled.
    public var sleep: @Sendable (Duration) async throws -> Void
    /// Returns a uniformly distributed value in `0 ..< 1`.
    public var unitRandom: @Sendable () -> Double

    /// Creates an environment from a sleep function and a random source.
    public init(
        sleep: @escaping @Sendable (Duration) async throws -> Void,
        unitRandom: @escaping @Sendable () -> Double
    ) {
        self.sleep = sleep
        self.unitRandom = unitRandom
    }

    /// Sleeps on `ContinuousClock` and draws from the system random number generator.
    public static let live = RetryEnvironment(
        sleep: { try await Task.sleep(for: $0, clock: .continuous) },
        unitRandom: { Double.random(in: 0..<1) }
    )
}

extension RetryPolicy {
    /// Runs `attempt` until it yields an outcome the policy does not retry, or ``maxAttempts`` is reached.
    ///
    /// Returns the last response (which may still carry a retryable status such as 503 when attempts ran out) or
    /// throws the last error. Cancellation during a backoff sleep ends the loop with `CancellationError`.
    public func run(
        method: HTTPMethod,
        environment: RetryEnvironment,
        attempt: () async throws -> HTTPResponse
    ) async throws -> HTTPResponse {
        var attemptNumber = 1
        while true {
            let outcome: Result<HTTPResponse, any Error>
            do {
                outcome = .success(try await attempt())
            } catch {
                outcome = .failure(error)
            }
            guard attemptNumber < self.maxAttempts, self.shouldRetry(outcome, method: method) else {
                return try outcome.get()
            }
            let retryAfter = (try? outcome.get()).flatMap(Self.retryAfter(in:))
            let delay = self.delay(
                beforeRetry: attemptNumber, retryAfter: retryAfter, unitRandom: environment.unitRandom())
            try await environment.sleep(delay)
            attemptNumber += 1
        }
    }
}

extension HTTPClient {
    /// Executes `request`, repeating it according to `policy`.
    ///
    /// - Parameters:
    ///   - policy: Which outcomes are retried and how long to back off.
    ///   - environment: The sleep function and random source (``RetryEnvironment/live`` in production).
    public func execute(
        _ request: HTTPRequest,
        retry policy: RetryPolicy,
        environment: RetryEnvironment = .live
    ) async throws -> HTTPResponse {
        try await policy.run(method: request.method, environment: environment) {
            try await self.execute(request)
        }
    }
}
