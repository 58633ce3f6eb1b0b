/// The `filter` transform: publishes only services that match `include` (everything when it is empty) and do not
/// match `exclude`. Patterns may use `*` and `?`.
public struct ServiceFilter: ServiceTransform, Hashable {
    /// Which services a rule selects; an empty list selects every value of that field.
    public struct Rule: Hashable, Sendable {
        /// Application names.
        public var apps: [GlobPattern] = []
        /// Service names.
        public var services: [GlobPattern] = []
        /// Environments (`""` for services without one).
        public var environments: [GlobPattern] = []
        /// Source names.
        public var sources: [GlobPattern] = []

        /// Creates a rule.
        public init(apps: [String] = [], services: [String] = [], environments: [String] = [], sources: [String] = []) {
            self.apps = apps.map(GlobPattern.init)
            self.services = services.map(GlobPattern.init)
            self.environments = environments.map(GlobPattern.init)
            self.sources = sources.map(GlobPattern.init)
        }

        /// Whether the rule names no field at all.
        public var isEmpty: Bool { apps.isEmpty && services.isEmpty && environments.isEmpty && sources.isEmpty }

        /// Whether every field the rule names matches the service.
        public func matches(_ key: ServiceKey) -> Bool {
            func check(_ patterns: [GlobPattern], _ value: String) -> Bool {
                patterns.isEmpty || patterns.contains { $0.matches(value) }
            }
            return check(apps, key.app) && check(services, key.name) && check(environments, key.environment)
                && check(sources, key.source)
        }
    }

    /// Services to keep.
    public var include: Rule
    /// Services to drop even when included.
    public var exclude: Rule

    /// Creates a filter.
    public init(include: Rule = Rule(), exclude: Rule = Rule()) {
        self.include = include
        self.exclude = exclude
    }

    public func apply(to service: Service) -> Service? {
        guard include.matches(service.key) else { return nil }
        if !exclude.isEmpty, exclude.matches(service.key) { return nil }
        return service
    }

    /// Config keys of the `filter` transform.
    public static let configKeys: Set<String> = ["include", "exclude"]

    /// Builds a filter from its config section.
    public static func decode(_ config: ConfigMapping) -> ServiceFilter? {
        func rule(_ node: ConfigNode?) -> Rule?? {
            guard let node else { return .some(Rule()) }
            guard let mapping = node.mapping(allowedKeys: ["apps", "services", "environments", "sources"]) else {
                return .none
            }
            let apps = mapping["apps"].map { $0.stringList() } ?? []
            let services = mapping["services"].map { $0.stringList() } ?? []
            let environments = mapping["environments"].map { $0.stringList() } ?? []
            let sources = mapping["sources"].map { $0.stringList() } ?? []
            guard let apps, let services, let environments, let sources else { return .none }
            return Rule(apps: apps, services: services, environments: environments, sources: sources)
        }
        guard let include = rule(config["include"]) ?? nil, let exclude = rule(config["exclude"]) ?? nil else {
            return nil
        }
        return ServiceFilter(include: include, exclude: exclude)
    }
}
