import Foundation

/// A query string parsed like Go's `url.ParseQuery`: `&`-separated pairs, `+` as space, percent-decoding; pairs
/// with a `;` or a bad escape are dropped. `value(_:)` is `url.Values.Get`.
struct GoQuery: Sendable {
    private(set) var pairs: [(String, String)] = []

    init(_ raw: String?) {
        guard let raw, !raw.isEmpty else { return }
        for part in raw.split(separator: "&", omittingEmptySubsequences: true) {
            if part.contains(";") { continue }
            let pieces = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let key = Self.unescape(pieces[0], plusIsSpace: true),
                let value = Self.unescape(pieces.count > 1 ? pieces[1] : "", plusIsSpace: true)
            else { continue }
            pairs.append((key, value))
        }
    }

    /// The first value of `key`, or an empty string.
    func value(_ key: String) -> String {
        pairs.first(where: { $0.0 == key })?.1 ?? ""
    }

    /// Every value of `key`.
    func values(_ key: String) -> [String] {
        pairs.filter { $0.0 == key }.map(\.1)
    }

    /// Percent-decoding; `nil` for a malformed escape.
    static func unescape(_ text: Substring, plusIsSpace: Bool) -> String? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var iterator = Array(text.utf8)[...]
        while let byte = iterator.popFirst() {
            switch byte {
            case UInt8(ascii: "%"):
                guard iterator.count >= 2, let high = hex(iterator.popFirst()!), let low = hex(iterator.popFirst()!)
                else { return nil }
                bytes.append(high << 4 | low)
            case UInt8(ascii: "+") where plusIsSpace:
                bytes.append(UInt8(ascii: " "))
            default:
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func hex(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}

extension GoQuery {
    /// Service Center's `util.StringTRUE`: `1` or `true`, case-insensitive, surrounding blanks ignored.
    static func isTrue(_ text: String) -> Bool {
        let normalized = text.trimmingCharacters(in: .whitespaces).lowercased()
        return normalized == "1" || normalized == "true"
    }
}
