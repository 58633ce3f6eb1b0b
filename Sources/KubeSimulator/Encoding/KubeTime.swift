import Foundation

/// The two wire formats of Kubernetes timestamps: `metav1.Time` (RFC 3339, seconds) and `metav1.MicroTime`
/// (RFC 3339 with exactly six fractional digits).
enum KubeTime {
    /// `2025-01-02T03:04:05Z`.
    static func seconds(_ date: Date) -> String {
        let (days, secondOfDay) = Int(date.timeIntervalSince1970.rounded(.down)).quotientAndRemainderFlooring(86_400)
        let (year, month, day) = civilDate(daysSinceEpoch: days)
        var text = ""
        text.reserveCapacity(27)
        append(year, width: 4, to: &text)
        text += "-"
        append(month, width: 2, to: &text)
        text += "-"
        append(day, width: 2, to: &text)
        text += "T"
        append(secondOfDay / 3600, width: 2, to: &text)
        text += ":"
        append(secondOfDay / 60 % 60, width: 2, to: &text)
        text += ":"
        append(secondOfDay % 60, width: 2, to: &text)
        text += "Z"
        return text
    }

    /// `2025-01-02T03:04:05.123456Z`.
    static func micro(_ date: Date) -> String {
        let whole = date.timeIntervalSince1970.rounded(.down)
        let micros = Int(((date.timeIntervalSince1970 - whole) * 1_000_000).rounded(.down))
        var text = seconds(Date(timeIntervalSince1970: whole))
        text.removeLast()
        text += "."
        append(min(micros, 999_999), width: 6, to: &text)
        return text + "Z"
    }

    /// The proleptic Gregorian date of a day count since 1970-01-01 (Howard Hinnant's `civil_from_days`); done
    /// with integer arithmetic because timestamps are formatted on every write and `Calendar` is slow.
    private static func civilDate(daysSinceEpoch: Int) -> (year: Int, month: Int, day: Int) {
        let shifted = daysSinceEpoch + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    private static func append(_ value: Int, width: Int, to text: inout String) {
        let digits = String(value)
        if digits.count < width { text += String(repeating: "0", count: width - digits.count) }
        text += digits
    }

    /// Parses an RFC 3339 timestamp (any fraction, `Z` or an offset).
    static func parse(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: text)
    }

    /// Parses a `MicroTime` with Go's fixed layout `2006-01-02T15:04:05.000000Z07:00`, returning the instant
    /// or the error text Go's `time.Parse` produces.
    static func parseMicro(_ text: String) -> Result<Date, MicroTimeError> {
        let layout = "2006-01-02T15:04:05.000000Z07:00"
        let bytes = Array(text.utf8)
        func failure(_ valueElement: String, _ layoutElement: String) -> Result<Date, MicroTimeError> {
            .failure(
                MicroTimeError(
                    message:
                        "parsing time \(KubeJSON.quote(text)) as \(KubeJSON.quote(layout)): cannot parse \(KubeJSON.quote(valueElement)) as \(KubeJSON.quote(layoutElement))"
                ))
        }
        func rest(_ offset: Int) -> String { String(decoding: bytes[min(offset, bytes.count)...], as: UTF8.self) }
        func digits(_ offset: Int, _ count: Int) -> Int? {
            guard offset + count <= bytes.count else { return nil }
            var value = 0
            for byte in bytes[offset..<offset + count] {
                guard byte >= 0x30 && byte <= 0x39 else { return nil }
                value = value * 10 + Int(byte - 0x30)
            }
            return value
        }
        // (offset, width, layout element, separator after)
        let fields: [(Int, Int, String)] = [
            (0, 4, "2006"), (5, 2, "01"), (8, 2, "02"), (11, 2, "15"), (14, 2, "04"), (17, 2, "05"),
        ]
        let separators: [(Int, UInt8, String)] = [
            (4, 0x2d, "-"), (7, 0x2d, "-"), (10, 0x54, "T"), (13, 0x3a, ":"), (16, 0x3a, ":"),
        ]
        var values: [Int] = []
        for (index, field) in fields.enumerated() {
            guard let value = digits(field.0, field.1) else { return failure(rest(field.0), field.2) }
            values.append(value)
            if index < separators.count {
                let separator = separators[index]
                guard separator.0 < bytes.count, bytes[separator.0] == separator.1 else {
                    return failure(rest(separator.0), separator.2 + String(layout.dropFirst(separator.0 + 1).prefix(2)))
                }
            }
        }
        guard bytes.count >= 26, bytes[19] == 0x2e, let micros = digits(20, 6) else {
            return failure(rest(19), ".000000")
        }
        var offsetSeconds = 0
        let zone = rest(26)
        if zone == "Z" {
            offsetSeconds = 0
        } else if zone.utf8.count == 6, let hours = Int(zone.dropFirst().prefix(2)), let minutes = Int(zone.suffix(2)),
            zone.dropFirst(3).first == ":", zone.first == "+" || zone.first == "-"
        {
            offsetSeconds = (hours * 3600 + minutes * 60) * (zone.first == "-" ? -1 : 1)
        } else {
            return failure(zone, "Z07:00")
        }
        var components = DateComponents()
        components.calendar = Calendar(identifier: .gregorian)
        components.timeZone = TimeZone(secondsFromGMT: 0)
        components.year = values[0]
        components.month = values[1]
        components.day = values[2]
        components.hour = values[3]
        components.minute = values[4]
        components.second = values[5]
        guard (1...12).contains(values[1]), (1...31).contains(values[2]), values[3] < 24, values[4] < 60,
            values[5] < 60,
            let date = components.date
        else {
            return .failure(MicroTimeError(message: "parsing time \(KubeJSON.quote(text)): day out of range"))
        }
        return .success(date.addingTimeInterval(Double(micros) / 1_000_000 - Double(offsetSeconds)))
    }

    /// Age as kubectl and the apiserver's table convertor print it (`duration.HumanDuration`).
    static func humanDuration(_ interval: TimeInterval) -> String {
        let seconds = Int(interval.rounded(.down))
        if seconds < -1 { return "<invalid>" }
        if seconds < 0 { return "0s" }
        if seconds < 120 { return "\(seconds)s" }
        let minutes = seconds / 60
        if minutes < 10 {
            let rest = seconds % 60
            return rest == 0 ? "\(minutes)m" : "\(minutes)m\(rest)s"
        }
        if minutes < 180 { return "\(minutes)m" }
        let hours = seconds / 3600
        if hours < 8 {
            let rest = minutes % 60
            return rest == 0 ? "\(hours)h" : "\(hours)h\(rest)m"
        }
        if hours < 48 { return "\(hours)h" }
        if hours < 24 * 8 {
            let rest = hours % 24
            return rest == 0 ? "\(hours / 24)d" : "\(hours / 24)d\(rest)h"
        }
        if hours < 24 * 365 * 2 { return "\(hours / 24)d" }
        if hours < 24 * 365 * 8 {
            let days = hours / 24 % 365
            return days == 0 ? "\(hours / 24 / 365)y" : "\(hours / 24 / 365)y\(days)d"
        }
        return "\(hours / 24 / 365)y"
    }

}

/// A `MicroTime` that Go's fixed-layout parser rejects.
struct MicroTimeError: Error, Sendable {
    /// Go's `time.ParseError` text.
    let message: String
}

extension Int {
    /// Division rounding towards negative infinity, so instants before 1970 still get a remainder in 0..<divisor.
    fileprivate func quotientAndRemainderFlooring(_ divisor: Int) -> (Int, Int) {
        let (quotient, remainder) = quotientAndRemainder(dividingBy: divisor)
        return remainder < 0 ? (quotient - 1, remainder + divisor) : (quotient, remainder)
    }
}
