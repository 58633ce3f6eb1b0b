import Logging
import Yams

/// A loaded and checked configuration file: every stage built and ready to run.
public struct BridgeConfiguration: Sendable {
    /// The source stages, in file order.
    public var sources: [any RegistrySource]
    /// The transform chain, in file order.
    public var transforms: [any ServiceTransform]
    /// The renderer.
    public var renderer: any ServiceRenderer
    /// The sink stages, in file order.
    public var sinks: [any Sink]
    /// The debouncer's rules.
    public var debounce: DebounceSettings
    /// Logging.
    public var log: LogSettings
    /// The leader election, when enabled; without one this replica always writes.
    public var leaderElection: (any LeadershipCampaign)?
    /// Where the operator endpoints listen, when configured.
    public var operations: OperationsSettings?

    /// Top-level keys of the file.
    public static let topLevelKeys: Set<String> = [
        "sources", "transforms", "debounce", "render", "sinks", "log", "leaderElection", "operations",
    ]

    /// Reads `yaml` (the contents of `file`) and builds every stage with the plugins in `registry`.
    ///
    /// - Throws: ``ConfigErrors`` listing every problem with file, line, column and key path.
    public static func load(
        yaml: String, file: String, registry: PluginRegistry, context: PluginContext
    ) throws(ConfigErrors) -> BridgeConfiguration {
        let problems = ConfigProblems(file: file)
        let configuration = decode(yaml: yaml, registry: registry, context: context, problems: problems)
        guard problems.errors.isEmpty, let configuration else { throw ConfigErrors(problems.errors) }
        return configuration
    }

    private static func decode(
        yaml: String, registry: PluginRegistry, context: PluginContext, problems: ConfigProblems
    ) -> BridgeConfiguration? {
        guard let root = ConfigNode.parse(yaml: yaml, problems: problems),
            let top = root.mapping(allowedKeys: topLevelKeys)
        else { return nil }

        let sources = pluginList(top.required("sources"), kind: "source", entries: registry.sources, context: context)
        if let sources, sources.isEmpty {
            top.required("sources")?.fail(.invalidValue, "at least one source is required")
        }
        let names = sources?.map(\.name) ?? []
        for (index, name) in names.enumerated() where names[..<index].contains(name) {
            top["sources"]?.list()?[index].fail(
                .invalidValue, "source name \"\(name)\" is used twice; names must be unique")
        }
        let transforms =
            top["transforms"].map { pluginList($0, kind: "transform", entries: registry.transforms, context: context) }
            ?? []
        let sinks = pluginList(top.required("sinks"), kind: "sink", entries: registry.sinks, context: context)
        if let sinks, sinks.isEmpty { top.required("sinks")?.fail(.invalidValue, "at least one sink is required") }
        let debounce = top["debounce"].map(decodeDebounce) ?? DebounceSettings()
        let log = top["log"].map(decodeLog) ?? LogSettings()

        var renderer: (any ServiceRenderer)?
        if let entry = registry.renderer {
            let renderNode =
                top["render"] ?? ConfigNode(node: .mapping(Node.Mapping([])), path: "render", problems: problems)
            if let mapping = renderNode.mapping(allowedKeys: entry.keys) {
                renderer = entry.factory("render", mapping, context)
            }
        } else {
            root.fail(.invalidValue, "no renderer is registered")
        }
        var operations: OperationsSettings?
        var operationsOK = true
        if let node = top["operations"], let mapping = node.mapping(allowedKeys: ["address"]) {
            if let address = mapping.required("address"), let text = address.nonEmptyString() {
                operations = OperationsSettings.parse(address: text)
                if operations == nil {
                    address.fail(.invalidValue, "expected host:port (e.g. 0.0.0.0:9090 or [::]:9090), got \"\(text)\"")
                }
            }
            operationsOK = operations != nil
        } else if top["operations"] != nil {
            operationsOK = false
        }
        var leaderElection: (any LeadershipCampaign)?
        var electionOK = true
        if let node = top["leaderElection"] {
            if let entry = registry.leaderElection {
                if let mapping = node.mapping(allowedKeys: entry.keys.union(["enabled"])) {
                    let enabled = mapping["enabled"].map { $0.bool() } ?? true
                    if enabled == true {
                        leaderElection = entry.factory("leaderElection", mapping, context)
                        electionOK = leaderElection != nil
                    } else {
                        electionOK = enabled != nil
                    }
                } else {
                    electionOK = false
                }
            } else {
                node.fail(.invalidValue, "this binary has no leader election")
                electionOK = false
            }
        }
        guard let sources, let transforms, let sinks, let debounce, let log, let renderer, operationsOK, electionOK
        else { return nil }
        return BridgeConfiguration(
            sources: sources, transforms: transforms, renderer: renderer, sinks: sinks, debounce: debounce, log: log,
            leaderElection: leaderElection, operations: operations)
    }

    private static func pluginList<Plugin>(
        _ node: ConfigNode?, kind: String, entries: [String: PluginRegistry.Entry<Plugin>], context: PluginContext
    ) -> [Plugin]? {
        guard let elements = node?.list() else { return nil }
        var plugins: [Plugin] = []
        var complete = true
        for (index, element) in elements.enumerated() {
            guard case .mapping(let mapping) = element.node, let typeNode = mapping["type"], let type = typeNode.string
            else {
                element.fail(
                    .missingKey,
                    "each \(kind) needs a \"type\" (one of: \(entries.keys.sorted().joined(separator: ", ")))")
                complete = false
                continue
            }
            guard let entry = entries[type] else {
                ConfigNode(node: typeNode, path: "\(element.path).type", problems: element.problems)
                    .fail(
                        .invalidValue,
                        "unknown \(kind) type \"\(type)\"; known types: \(entries.keys.sorted().joined(separator: ", "))"
                    )
                complete = false
                continue
            }
            guard let section = element.mapping(allowedKeys: entry.keys.union(["type", "name"])) else {
                complete = false
                continue
            }
            let name = section["name"]?.nonEmptyString() ?? (elements.count == 1 ? type : "\(type)-\(index)")
            guard let plugin = entry.factory(name, section, context) else {
                complete = false
                continue
            }
            plugins.append(plugin)
        }
        return complete ? plugins : nil
    }

    private static func decodeDebounce(_ node: ConfigNode) -> DebounceSettings? {
        guard let mapping = node.mapping(allowedKeys: ["quiet", "maxDelay", "maxEvents"]) else { return nil }
        let defaults = DebounceSettings()
        var quiet = defaults.quiet
        var maxDelay: Duration?
        var maxEvents = defaults.maxEvents
        var ok = true
        if let value = mapping["quiet"] { if let d = value.duration() { quiet = d } else { ok = false } }
        if let value = mapping["maxDelay"] { if let d = value.duration() { maxDelay = d } else { ok = false } }
        if let value = mapping["maxEvents"] {
            if let n = value.int(in: 1...10_000_000) { maxEvents = n } else { ok = false }
        }
        // An unset max delay follows the quiet period (see `DebounceSettings`).
        let settings = DebounceSettings(quiet: quiet, maxDelay: maxDelay, maxEvents: maxEvents)
        if ok, settings.maxDelay < settings.quiet {
            mapping["maxDelay"]?.fail(.invalidValue, "maxDelay must not be shorter than quiet")
            ok = false
        }
        return ok ? settings : nil
    }

    private static func decodeLog(_ node: ConfigNode) -> LogSettings? {
        guard let mapping = node.mapping(allowedKeys: ["level", "format"]) else { return nil }
        var settings = LogSettings()
        var ok = true
        if let value = mapping["level"] {
            if let text = value.oneOf(["trace", "debug", "info", "notice", "warning", "error", "critical"]),
                let level = Logger.Level(rawValue: text)
            {
                settings.level = level
            } else {
                ok = false
            }
        }
        if let value = mapping["format"] {
            if let text = value.oneOf(LogSettings.Format.allCases.map(\.rawValue)) {
                settings.format = LogSettings.Format(rawValue: text)!
            } else {
                ok = false
            }
        }
        return ok ? settings : nil
    }
}
