/// The string formats the apiserver checks that occur in the Istio CRDs.
///
/// The apiserver ignores formats outside its supported list (`int32`, `double`, ... are dropped by
/// `StripUnsupportedFormatsPostProcess`); a supported format this type does not implement makes loading fail.
enum StringFormat: String, Sendable {
    /// `date-time` / `datetime`: strfmt's `IsDateTime`.
    case dateTime = "date-time"

    /// Formats the apiserver keeps (after removing `-`), from apiextensions-apiserver `validation/formats.go`.
    static let supportedByAPIServer: Set<String> = [
        "bsonobjectid", "uri", "email", "hostname", "ipv4", "ipv6", "cidr", "mac", "uuid", "uuid3", "uuid4", "uuid5",
        "isbn", "isbn10", "isbn13", "creditcard", "ssn", "hexcolor", "rgbcolor", "byte", "password", "date",
        "duration", "datetime",
    ]

    /// Whether `text` has this format.
    func accepts(_ text: String) -> Bool {
        switch self {
        case .dateTime: return Self.isDateTime(text)
        }
    }

    /// kube-openapi `strfmt.IsDateTime`: a full date, a `t`, then `hh:mm:ss[.frac](z|±hh:mm)`, case-insensitive.
    private static func isDateTime(_ text: String) -> Bool {
        guard text.utf8.count >= 4 else { return false }
        let parts = text.lowercased().split(separator: "t", omittingEmptySubsequences: false)
        guard parts.count >= 2, isFullDate(parts[0]) else { return false }
        let time = Array(parts[1].utf8)
        func digits(_ range: Range<Int>) -> Bool {
            range.upperBound <= time.count
                && time[range].allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
        }
        guard digits(0..<2), time.count > 8, time[2] == UInt8(ascii: ":"), digits(3..<5), time[5] == UInt8(ascii: ":"),
            digits(6..<8)
        else { return false }
        func zoneMatches(at position: Int) -> Bool {
            guard position < time.count else { return false }
            if time[position] == UInt8(ascii: "z") { return position + 1 == time.count }
            return (time[position] == UInt8(ascii: "+") || time[position] == UInt8(ascii: "-"))
                && position + 6 == time.count && digits((position + 1)..<(position + 3))
                && time[position + 3] == UInt8(ascii: ":") && digits((position + 4)..<(position + 6))
        }
        if !zoneMatches(at: 8) {
            // `(.[0-9]+)?`: any single character followed by at least one digit, then the zone.
            var position = 9
            while position < time.count, time[position] >= UInt8(ascii: "0"), time[position] <= UInt8(ascii: "9") {
                position += 1
            }
            guard position > 9, zoneMatches(at: position) else { return false }
        }
        // The pattern's groups compared as strings: hour <= "23", minute <= "59", second <= "59".
        let hour = String(decoding: time[0..<2], as: UTF8.self)
        let minute = String(decoding: time[3..<5], as: UTF8.self)
        let second = String(decoding: time[6..<8], as: UTF8.self)
        return hour <= "23" && minute <= "59" && second <= "59"
    }

    /// Go's `time.Parse("2006-01-02", s)`: four-digit year, two-digit month 1...12 and a day valid in that month.
    private static func isFullDate(_ text: Substring) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-") else { return false }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for byte in bytes[range] {
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10), (1...12).contains(month)
        else { return false }
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        let daysInMonth = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
        return (1...daysInMonth).contains(day)
    }
}
