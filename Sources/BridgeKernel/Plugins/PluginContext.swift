import Logging

/// What a plugin factory gets besides its own config section.
public struct PluginContext: Sendable {
    /// The logger plugins derive theirs from.
    public var logger: Logger
    /// The directory of the configuration file; relative paths in the config are relative to it.
    public var configDirectory: String
    /// The process environment (injected so tests can control it).
    public var environment: [String: String]
    /// Whether the bridge runs as a dry run: sinks that support it report what they would write and write nothing.
    public var dryRun: Bool

    /// Creates a context.
    public init(logger: Logger, configDirectory: String, environment: [String: String], dryRun: Bool = false) {
        self.logger = logger
        self.configDirectory = configDirectory
        self.environment = environment
        self.dryRun = dryRun
    }

    /// Resolves a path from the config file against ``configDirectory``.
    public func resolvePath(_ path: String) -> String {
        if path.hasPrefix("/") || configDirectory.isEmpty { return path }
        if path.hasPrefix("~/"), let home = environment["HOME"] { return home + path.dropFirst(1) }
        return configDirectory.hasSuffix("/") ? configDirectory + path : "\(configDirectory)/\(path)"
    }
}
