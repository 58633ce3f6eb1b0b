import Synchronization
import Testing

@testable import BridgeTransport

/// A retry environment that records requested sleeps instead of sleeping and replays scripted random values.
final class ScriptedRetryEnvironment: Sendable {
    private let sleeps = Mutex<[Duration]>([])
    private let randoms: Mutex<[Double]>

    init(randoms: [Double] = []) {
        self.randoms = Mutex(randoms)
    }

    var recordedSleeps: [Duration] { self.sleeps.withLock { $0 } }

    var environment: RetryEnvironment {
        RetryEnvironment(
            sleep: { duration in self.sleeps.withLock { $0.append(duration) } },
            unitRandom: { self.randoms.withLock { $0.isEmpty ? 0.5 : $0.removeFirst() } }
        )
    }
}

@Suite("RetryPolicy")
struct RetryPolicyTests {
    let policy = RetryPolicy(maxAttempts: 5, initialBackoff: .milliseconds(100), maxBackoff: .seconds(1))

    @Test func backoffCeilingDoublesUpToTheMaximum() {
        let ceilings = (1...6).map { self.policy.backoffCeiling(beforeRetry: $0) }
        #expect(
            ceilings == [
                .milliseconds(100), .milliseconds(200), .milliseconds(400), .milliseconds(800), .seconds(1),
                .seconds(1),
            ])
        #expect(self.policy.backoffCeiling(beforeRetry: 10_000) == .seconds(1))
    }

    @Test func fullJitterScalesTheCeilingByTheRandomFraction() {
        #expect(self.policy.delay(beforeRetry: 3, retryAfter: nil, unitRandom: 0) == .zero)
        #expect(self.policy.delay(beforeRetry: 3, retryAfter: nil, unitRandom: 0.25) == .milliseconds(100))
        #expect(self.policy.delay(beforeRetry: 5, retryAfter: nil, unitRandom: 0.5) == .milliseconds(500))
    }

    @Test func retryAfterReplacesTheJitterAndIsClamped() {
        var policy = self.policy
        policy.maxRetryAfter = .seconds(30)
        #expect(policy.delay(beforeRetry: 1, retryAfter: .seconds(7), unitRandom: 0.9) == .seconds(7))
        #expect(policy.delay(beforeRetry: 1, retryAfter: .seconds(120), unitRandom: 0.9) == .seconds(30))
        policy.honorsRetryAfter = false
        #expect(policy.delay(beforeRetry: 1, retryAfter: .seconds(7), unitRandom: 0.5) == .milliseconds(50))
    }

    @Test func retryAfterIsReadFromSecondsOnly() {
        func response(_ value: String) -> HTTPResponse {
            HTTPResponse(
                head: .init(status: 503, headers: ["Retry-After": value], connectionReused: false), body: [])
        }
        #expect(RetryPolicy.retryAfter(in: response("12")) == .seconds(12))
        #expect(RetryPolicy.retryAfter(in: response("Wed, 21 Oct 2015 07:28:00 GMT")) == nil)
        #expect(RetryPolicy.retryAfter(in: response("-3")) == nil)
    }

    @Test func defaultRetryableOutcomes() {
        let policy = RetryPolicy()
        func response(_ status: Int) -> Result<HTTPResponse, any Error> {
            .success(HTTPResponse(head: .init(status: status, headers: [:], connectionReused: false), body: []))
        }
        func failure(_ code: TransportError.Code) -> Result<HTTPResponse, any Error> {
            .failure(TransportError(code: code, operation: "GET", url: "http://x"))
        }
        #expect(policy.shouldRetry(response(429), method: .get))
        #expect(policy.shouldRetry(response(500), method: .get))
        #expect(policy.shouldRetry(response(503), method: .delete))
        #expect(!policy.shouldRetry(response(404), method: .get))
        #expect(!policy.shouldRetry(response(200), method: .get))
        #expect(policy.shouldRetry(failure(.connectFailed), method: .get))
        #expect(policy.shouldRetry(failure(.timedOut), method: .put))
        #expect(policy.shouldRetry(failure(.connectionClosed), method: .get))
        #expect(!policy.shouldRetry(failure(.tls), method: .get))
        #expect(!policy.shouldRetry(failure(.cancelled), method: .get))
        #expect(!policy.shouldRetry(.failure(CancellationError()), method: .get))
        // Non-idempotent requests are retried only when they certainly never reached the server.
        #expect(policy.shouldRetry(failure(.connectFailed), method: .post))
        #expect(!policy.shouldRetry(failure(.timedOut), method: .post))
        #expect(!policy.shouldRetry(response(503), method: .patch))
    }

    @Test func runSleepsTheJitteredBackoffBetweenAttempts() async throws {
        let scripted = ScriptedRetryEnvironment(randoms: [0.5, 0.25, 1.0])
        let outcomes = Mutex<[Result<HTTPResponse, any Error>]>([
            .failure(TransportError(code: .connectFailed, operation: "GET", url: "http://x")),
            .failure(TransportError(code: .timedOut, operation: "GET", url: "http://x")),
            .success(HTTPResponse(head: .init(status: 502, headers: [:], connectionReused: true), body: [])),
            .success(HTTPResponse(head: .init(status: 200, headers: [:], connectionReused: true), body: [7])),
        ])
        let response = try await self.policy.run(method: .get, environment: scripted.environment) {
            try outcomes.withLock { $0.removeFirst() }.get()
        }
        #expect(response.body == [7])
        #expect(scripted.recordedSleeps == [.milliseconds(50), .milliseconds(50), .milliseconds(400)])
    }

    @Test func runStopsAtMaxAttemptsAndThrowsTheLastError() async throws {
        let scripted = ScriptedRetryEnvironment()
        let attempts = Mutex(0)
        let error = await #expect(throws: TransportError.self) {
            try await RetryPolicy(maxAttempts: 3).run(method: .get, environment: scripted.environment) {
                attempts.withLock { $0 += 1 }
                throw TransportError(code: .connectionClosed, operation: "GET", url: "http://x")
            }
        }
        #expect(error?.code == .connectionClosed)
        #expect(attempts.withLock { $0 } == 3)
        #expect(scripted.recordedSleeps.count == 2)
    }

    @Test func cancellationDuringBackoffEndsTheLoop() async throws {
        let environment = RetryEnvironment(sleep: { _ in throw CancellationError() }, unitRandom: { 0 })
        let attempts = Mutex(0)
        await #expect(throws: CancellationError.self) {
            try await RetryPolicy().run(method: .get, environment: environment) {
                attempts.withLock { $0 += 1 }
                throw TransportError(code: .connectFailed, operation: "GET", url: "http://x")
            }
        }
        #expect(attempts.withLock { $0 } == 1)
    }

    @Test func clientRetriesServiceUnavailableHonouringRetryAfter() async throws {
        try await withTestHTTPServer { server in
            try await withHTTPClient { client in
                let scripted = ScriptedRetryEnvironment()
                let response = try await client.execute(
                    HTTPRequest(url: "http://127.0.0.1:\(server.port)/flaky?failures=2&retryAfter=3"),
                    retry: RetryPolicy(), environment: scripted.environment)
                #expect(response.status == 200)
                #expect(response.bodyText == "recovered after 3")
                #expect(scripted.recordedSleeps == [.seconds(3), .seconds(3)])
            }
        }
    }

    @Test func clientReturnsTheLastResponseWhenAttemptsRunOut() async throws {
        try await withTestHTTPServer { server in
            try await withHTTPClient { client in
                let scripted = ScriptedRetryEnvironment(randoms: [0.5, 0.5])
                let response = try await client.execute(
                    HTTPRequest(url: "http://127.0.0.1:\(server.port)/flaky?failures=10"),
                    retry: RetryPolicy(maxAttempts: 3, initialBackoff: .milliseconds(100)),
                    environment: scripted.environment)
                #expect(response.status == 503)
                #expect(server.flakyRequestCount == 3)
                #expect(scripted.recordedSleeps == [.milliseconds(50), .milliseconds(100)])
            }
        }
    }

    @Test func clientDoesNotRepeatAPostAnsweredWithAnError() async throws {
        try await withTestHTTPServer { server in
            try await withHTTPClient { client in
                let scripted = ScriptedRetryEnvironment()
                let response = try await client.execute(
                    HTTPRequest(method: .post, url: "http://127.0.0.1:\(server.port)/flaky?failures=1"),
                    retry: RetryPolicy(), environment: scripted.environment)
                #expect(response.status == 503)
                #expect(server.flakyRequestCount == 1)
                #expect(scripted.recordedSleeps.isEmpty)
            }
        }
    }

    @Test func clientRetriesRefusedConnections() async throws {
        let port = try unusedLoopbackPort()
        try await withHTTPClient { client in
            let scripted = ScriptedRetryEnvironment()
            let error = await #expect(throws: TransportError.self) {
                try await client.execute(
                    HTTPRequest(method: .post, url: "http://127.0.0.1:\(port)/"),
                    retry: RetryPolicy(maxAttempts: 3), environment: scripted.environment)
            }
            #expect(error?.code == .connectFailed)
            #expect(scripted.recordedSleeps.count == 2)
        }
    }
}
