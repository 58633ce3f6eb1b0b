import Foundation
import NIOConcurrencyHelpers

/// A clock that only moves when told to.
public final class ManualSimulatorClock: SimulatorClock {
    private let current: NIOLockedValueBox<Date>

    /// Creates a clock standing at `start` (default 2024-01-01T00:00:00Z).
    public init(start: Date = Date(timeIntervalSince1970: 1_704_067_200)) {
        current = NIOLockedValueBox(start)
    }

    /// The time the clock was last set or advanced to.
    public func now() -> Date { current.withLockedValue { $0 } }

    /// Moves the clock forward.
    public func advance(by duration: Duration) {
        let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        current.withLockedValue { $0 = $0.addingTimeInterval(seconds) }
    }

    /// Sets the clock to an absolute time.
    public func set(_ date: Date) {
        current.withLockedValue { $0 = date }
    }
}
