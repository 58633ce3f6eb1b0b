/// Something the bridge noticed about registry data while converting it: an endpoint it could not use, a
/// conflict it resolved, a fallback it took. Diagnostics never stop the pipeline; they are logged and counted.
public struct Diagnostic: Hashable, Sendable, CustomStringConvertible {
    /// How serious it is.
    public enum Severity: String, Sendable, Hashable {
        /// The data was adjusted but nothing was lost (e.g. a fallback mode).
        case warning
        /// Part of the data could not be published (e.g. an unparsable endpoint was skipped).
        case error
    }

    /// How serious it is.
    public var severity: Severity
    /// The service concerned.
    public var service: ServiceKey
    /// The instance concerned, if any.
    public var instanceID: String?
    /// What happened, for an operator.
    public var message: String

    /// Creates a diagnostic.
    public init(_ severity: Severity, service: ServiceKey, instanceID: String? = nil, _ message: String) {
        self.severity = severity
        self.service = service
        self.instanceID = instanceID
        self.message = message
    }

    public var description: String {
        "service \(service)" + (instanceID.map { " instance \($0)" } ?? "") + ": " + message
    }
}
