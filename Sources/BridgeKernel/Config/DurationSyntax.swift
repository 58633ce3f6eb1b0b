import Foundation

/// Parses and prints durations in the Go / Kubernetes form operators know: `500ms`, `1s`, `1m30s`, `2h`.
public enum DurationSyntax {
    /// Parses `text`, or returns `nil` when it is not a duration with units (`1x`, `10`, `-1s`, …).
    public static func parse(_ text: String) -> Duration? {
        let units: [(String, Duration)] = [
            ("ns", .nanoseconds(1)), ("us", .microseconds(1)), ("µs", .microseconds(1)), ("ms", .milliseconds(1)),
            ("s", .seconds(1)), ("m", .seconds(60)), ("h", .seconds(3600)),
        ]
        var rest = Substring(text.trimmingCharacters(in: .whitespaces))
        guard !rest.isEmpty else { return nil }
        if rest == "0" { return .zero }
        var total = Duration.zero
        while !rest.isEmpty {
            let number = rest.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
            guard !number.isEmpty, let value = Double(number), value.isFinite else { return nil }
            rest = rest.dropFirst(number.count)
            // Longest unit first so "ms" is not read as "m" followed by garbage.
            guard
                let (unitText, unit) = units.filter({ rest.hasPrefix($0.0) }).max(by: { $0.0.count < $1.0.count })
            else { return nil }
            rest = rest.dropFirst(unitText.count)
            total += unit * value
        }
        return total
    }

    /// Formats a duration the way ``parse(_:)`` reads it, e.g. `1.5s` or `250ms`.
    public static func format(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        let milliseconds = seconds * 1000 + attoseconds / 1_000_000_000_000_000
        if milliseconds % 1000 == 0 { return "\(milliseconds / 1000)s" }
        return "\(milliseconds)ms"
    }
}
