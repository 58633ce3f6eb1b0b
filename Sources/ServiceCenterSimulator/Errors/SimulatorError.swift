/// A failure of the simulator itself (not a simulated Service Center answer), worded for an operator.
public struct SimulatorError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure.
    public enum Code: String, Sendable, Hashable {
        /// The listener could not bind its address.
        case bindFailed
        /// The operation needs a running listener.
        case notRunning
        /// `start()` was called while the listener was already running.
        case alreadyRunning
        /// The TLS certificate, key or CA file could not be loaded.
        case tlsConfigurationInvalid
        /// A file (seed, password) could not be read.
        case fileUnreadable
        /// A seed document is malformed.
        case seedInvalid
        /// The registry refused a helper call with a Service Center error (see ``SimulatorError/apiError``).
        case registryRejected
        /// `advance(by:)` needs a ``ManualSimulatorClock``.
        case clockNotManual
    }

    /// The failure kind.
    public var code: Code
    /// Human-readable context: what failed and where (address, file, service/instance ids).
    public var context: String
    /// The Service Center error behind a ``Code/registryRejected`` failure.
    public var apiError: ServiceCenterAPIError?

    /// Creates an error.
    public init(_ code: Code, _ context: String, apiError: ServiceCenterAPIError? = nil) {
        self.code = code
        self.context = context
        self.apiError = apiError
    }

    /// `code: context`, plus the Service Center error when there is one.
    public var description: String {
        if let apiError { return "\(code.rawValue): \(context): \(apiError)" }
        return "\(code.rawValue): \(context)"
    }
}
