/// The plugins a bridge knows, by the `type:` name the config file uses.
///
/// Each plugin declares the keys its config section may hold (besides `type` and `name`); the registry checks
/// them, so unknown keys are reported with their position for every plugin alike.
public struct PluginRegistry {
    /// Builds a plugin from its checked config section; records problems on the section and returns `nil` when
    /// the section is unusable.
    public typealias Factory<Plugin> = (_ name: String, _ config: ConfigMapping, _ context: PluginContext) -> Plugin?

    struct Entry<Plugin> {
        var keys: Set<String>
        var factory: Factory<Plugin>
    }

    var sources: [String: Entry<any RegistrySource>] = [:]
    var transforms: [String: Entry<any ServiceTransform>] = [:]
    var sinks: [String: Entry<any Sink>] = [:]
    var renderer: Entry<any ServiceRenderer>?
    var leaderElection: Entry<any LeadershipCampaign>?

    /// Creates an empty registry.
    public init() {}

    /// Registers a source plugin.
    public mutating func registerSource(
        type: String, keys: Set<String>, factory: @escaping Factory<any RegistrySource>
    ) {
        sources[type] = Entry(keys: keys, factory: factory)
    }

    /// Registers a transform plugin.
    public mutating func registerTransform(
        type: String, keys: Set<String>, factory: @escaping Factory<any ServiceTransform>
    ) {
        transforms[type] = Entry(keys: keys, factory: factory)
    }

    /// Registers a sink plugin.
    public mutating func registerSink(type: String, keys: Set<String>, factory: @escaping Factory<any Sink>) {
        sinks[type] = Entry(keys: keys, factory: factory)
    }

    /// Registers the renderer, configured by the top-level `render:` section (absent sections get an empty
    /// mapping, so defaults apply).
    public mutating func registerRenderer(keys: Set<String>, factory: @escaping Factory<any ServiceRenderer>) {
        renderer = Entry(keys: keys, factory: factory)
    }

    /// Registers the leader election, configured by the top-level `leaderElection:` section (`enabled: false` or
    /// an absent section runs without one).
    public mutating func registerLeaderElection(
        keys: Set<String>, factory: @escaping Factory<any LeadershipCampaign>
    ) {
        leaderElection = Entry(keys: keys, factory: factory)
    }

    /// The registered source types, sorted.
    public var sourceTypes: [String] { sources.keys.sorted() }
    /// The registered sink types, sorted.
    public var sinkTypes: [String] { sinks.keys.sorted() }
    /// The registered transform types, sorted.
    public var transformTypes: [String] { transforms.keys.sorted() }
}
