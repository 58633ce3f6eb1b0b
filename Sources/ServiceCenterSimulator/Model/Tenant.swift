/// A Service Center tenant: the `X-Domain-Name` header (default `default`) plus the `{project}` path segment.
public struct Tenant: Sendable, Hashable, CustomStringConvertible {
    /// The domain (`X-Domain-Name`).
    public var domain: String
    /// The project (`/v4/{project}/...`).
    public var project: String

    /// Creates a tenant.
    public init(domain: String = "default", project: String = "default") {
        self.domain = domain
        self.project = project
    }

    /// `default/default`, the tenant Service Center registers itself in.
    public static let `default` = Tenant()

    /// `{domain}/{project}`, as watch frames spell it.
    public var description: String { "\(domain)/\(project)" }
}
