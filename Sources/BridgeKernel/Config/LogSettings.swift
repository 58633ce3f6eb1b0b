import Logging

/// The `log:` section: how much the bridge logs and in which format.
public struct LogSettings: Hashable, Sendable {
    /// Output format.
    public enum Format: String, Sendable, Hashable, CaseIterable {
        /// One human-readable line per message.
        case text
        /// One JSON object per line, for log collectors.
        case json
    }

    /// The minimum level logged.
    public var level: Logger.Level
    /// The output format.
    public var format: Format

    /// Creates settings; the defaults are `info` and `text`.
    public init(level: Logger.Level = .info, format: Format = .text) {
        self.level = level
        self.format = format
    }
}
