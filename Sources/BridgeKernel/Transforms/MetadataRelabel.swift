/// The `relabel` transform: rewrites instance metadata, which the mapping turns into WorkloadEntry labels.
///
/// Order of operations: `drop` (patterns), then `rename`, then `set`.
public struct MetadataRelabel: ServiceTransform, Hashable {
    /// Keys to remove; patterns may use `*` and `?`.
    public var drop: [GlobPattern]
    /// Keys to rename, old name → new name.
    public var rename: [String: String]
    /// Keys to set on every instance, overriding registry values.
    public var set: [String: String]

    /// Creates a relabel transform.
    public init(drop: [String] = [], rename: [String: String] = [:], set: [String: String] = [:]) {
        self.drop = drop.map(GlobPattern.init)
        self.rename = rename
        self.set = set
    }

    public func apply(to service: Service) -> Service? {
        var service = service
        service.instances = service.instances.map { instance in
            var instance = instance
            var metadata = instance.metadata.filter { key, _ in !drop.contains { $0.matches(key) } }
            for (old, new) in rename.sorted(by: { $0.key < $1.key }) {
                if let value = metadata.removeValue(forKey: old) { metadata[new] = value }
            }
            metadata.merge(set) { _, new in new }
            instance.metadata = metadata
            return instance
        }
        return service
    }

    /// Config keys of the `relabel` transform.
    public static let configKeys: Set<String> = ["drop", "rename", "set"]

    /// Builds the transform from its config section.
    public static func decode(_ config: ConfigMapping) -> MetadataRelabel? {
        let drop = config["drop"].map { $0.stringList() } ?? []
        let rename = config["rename"].map { $0.stringMap() } ?? [:]
        let set = config["set"].map { $0.stringMap() } ?? [:]
        guard let drop, let rename, let set else { return nil }
        return MetadataRelabel(drop: drop, rename: rename, set: set)
    }
}
