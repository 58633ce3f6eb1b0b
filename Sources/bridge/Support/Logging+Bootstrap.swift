import BridgeKernel
import Foundation
import Logging

/// Process-wide logging set-up.
enum LoggingSetup {
    /// Installs the handler once per process: text or JSON lines on standard error.
    static func bootstrap(_ settings: LogSettings) {
        LoggingSystem.bootstrap { label in
            var handler: any LogHandler =
                settings.format == .json ? JSONLogHandler(label: label) : StreamLogHandler.standardError(label: label)
            handler.logLevel = settings.level
            return handler
        }
    }
}

/// One JSON object per log line: `{"time","level","label","message",…metadata}`.
struct JSONLogHandler: LogHandler {
    let label: String
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var fields: [String: JSONValue] = [
            "time": .string(ISO8601DateFormatter().string(from: Date())),
            "level": .string(event.level.rawValue),
            "label": .string(label),
            "message": .string(event.message.description),
        ]
        if let error = event.error { fields["error"] = .string("\(error)") }
        for (key, value) in metadata.merging(event.metadata ?? [:], uniquingKeysWith: { _, new in new }) {
            fields[key] = .string(value.description)
        }
        FileHandle.standardError.write(Data((JSONValue.object(fields).canonicalJSON + "\n").utf8))
    }
}
