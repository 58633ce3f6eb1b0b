/// Identifies one logical service across every registry the bridge reads.
///
/// Versions are deliberately not part of the key: all versions of a service are one service in the mesh, and
/// their instances carry their version instead. Same-named services in different apps, environments or domains
/// have different keys, so they never collide.
public struct ServiceKey: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The name of the source plugin instance that reported the service (its `name:` in the config).
    public var source: String
    /// The registry tenant, e.g. Service Center's `domain/project` (`default/default`).
    public var domain: String
    /// The registry environment (`production`, `development`, …); empty when the registry has none.
    public var environment: String
    /// The application the service belongs to (Service Center `appId`, Eureka app group).
    public var app: String
    /// The service name as the registry spells it.
    public var name: String

    /// Creates a key.
    public init(source: String, domain: String = "default", environment: String = "", app: String, name: String) {
        self.source = source
        self.domain = domain
        self.environment = environment
        self.app = app
        self.name = name
    }

    /// Orders by source, domain, environment, app, then name (the order of a tuple of those), one field at a
    /// time: sorting a full sync's keys with the generic tuple comparison was a visible part of rendering.
    public static func < (lhs: ServiceKey, rhs: ServiceKey) -> Bool {
        if lhs.source != rhs.source { return lhs.source < rhs.source }
        if lhs.domain != rhs.domain { return lhs.domain < rhs.domain }
        if lhs.environment != rhs.environment { return lhs.environment < rhs.environment }
        if lhs.app != rhs.app { return lhs.app < rhs.app }
        return lhs.name < rhs.name
    }

    /// `source:domain/environment/app/name`, the form used in logs and error messages.
    public var description: String {
        "\(source):\(domain)/\(environment.isEmpty ? "-" : environment)/\(app)/\(name)"
    }
}
