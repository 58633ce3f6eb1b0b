import Foundation

/// The wall clock of the simulated registry: timestamps, instance leases and RBAC token expiry all read it.
///
/// Inject a ``ManualSimulatorClock`` to expire leases and tokens in tests without waiting.
public protocol SimulatorClock: Sendable {
    /// The current time.
    func now() -> Date
}

/// The system wall clock.
public struct SystemSimulatorClock: SimulatorClock {
    /// Creates the system clock.
    public init() {}

    /// `Date()`.
    public func now() -> Date { Date() }
}
