/// The lifecycle state of a registry instance, as Service Center and Eureka both spell it.
public enum InstanceStatus: String, Sendable, Hashable, CaseIterable, Comparable {
    case up = "UP"
    case down = "DOWN"
    case starting = "STARTING"
    case testing = "TESTING"
    case outOfService = "OUTOFSERVICE"

    /// Parses a status case-insensitively; `OUT_OF_SERVICE` (Eureka's spelling) is accepted too.
    public init?(registryValue: String) {
        // The exact spelling first: registries send `UP`, and this runs for every instance of every event.
        if let status = InstanceStatus(rawValue: registryValue) {
            self = status
            return
        }
        self.init(rawValue: String(registryValue.uppercased().filter { $0 != "_" }))
    }

    public static func < (lhs: InstanceStatus, rhs: InstanceStatus) -> Bool { lhs.rawValue < rhs.rawValue }
}
