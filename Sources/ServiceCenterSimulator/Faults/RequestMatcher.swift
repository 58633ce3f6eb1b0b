/// Selects the simulated Service Center requests a fault applies to. Empty criteria match everything.
public struct RequestMatcher: Sendable, Hashable {
    /// HTTP method (`GET`, `PUT`, ...), or `nil` for any.
    public var method: String?
    /// Route pattern as Service Center declares it, e.g. `/v4/:project/registry/instances`, or `nil` for any.
    public var route: String?
    /// Request path prefix, e.g. `/v4/default/registry/microservices`, or `nil` for any.
    public var pathPrefix: String?

    /// Creates a matcher.
    public init(method: String? = nil, route: String? = nil, pathPrefix: String? = nil) {
        self.method = method
        self.route = route
        self.pathPrefix = pathPrefix
    }

    /// Matches every Service Center route.
    public static let all = RequestMatcher()

    func matches(method: String, path: String, route: String) -> Bool {
        if let wanted = self.method, wanted.uppercased() != method { return false }
        if let wanted = self.route, wanted != route { return false }
        if let prefix = pathPrefix, !path.hasPrefix(prefix) { return false }
        return true
    }
}
