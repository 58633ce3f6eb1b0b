import BridgeKernel
import Logging
import Synchronization

/// Logs the progress of a long batch of writes (at most every few seconds), so an initial sync of a large
/// registry shows it is moving.
final class ProgressLog: Sendable {
    private struct State {
        var done = 0
        var lastLog = ContinuousClock.now
    }

    private let total: Int
    private let logger: Logger
    private let interval: Duration
    private let state = Mutex(State())
    private let start = ContinuousClock.now

    /// Creates a progress log; batches under `threshold` writes log nothing.
    init(total: Int, logger: Logger, interval: Duration = .seconds(5), threshold: Int = 200) {
        self.total = total >= threshold ? total : 0
        self.logger = logger
        self.interval = interval
        if self.total > 0 { logger.info("writing \(total) objects") }
    }

    /// Counts one finished write.
    func advance() {
        guard total > 0 else { return }
        let now = ContinuousClock.now
        let line: Int? = state.withLock { state in
            state.done += 1
            guard state.lastLog.duration(to: now) >= interval else { return nil }
            state.lastLog = now
            return state.done
        }
        if let done = line {
            logger.info("progress: \(done) of \(total) objects written (\(done * 100 / total)%)")
        }
    }

    /// Logs the end of the batch.
    func finish() {
        guard total > 0 else { return }
        let elapsed = start.duration(to: .now)
        logger.info("wrote \(total) objects in \(DurationSyntax.format(elapsed))")
    }
}
