/// Go's `time.ParseDuration`, which CEL's `duration(string)` uses.
///
/// Accepts `[-+]?([0-9]*(\.[0-9]*)?[a-z]+)+` with units `ns`, `us`, `µs`, `μs`, `ms`, `s`, `m`, `h`, and the
/// bare `0`; the result must fit in a signed 64-bit count of nanoseconds.
enum GoDuration {
    private static let unitNanoseconds: [String: UInt64] = [
        "ns": 1, "us": 1_000, "\u{00B5}s": 1_000, "\u{03BC}s": 1_000, "ms": 1_000_000, "s": 1_000_000_000,
        "m": 60_000_000_000, "h": 3_600_000_000_000,
    ]
    private static let limit: UInt64 = 1 << 63

    /// The duration in nanoseconds, or `nil` when Go would return an error.
    static func parse(_ text: String) -> Int64? {
        var bytes = Array(text.utf8)[...]
        var negative = false
        if let sign = bytes.first, sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") {
            negative = sign == UInt8(ascii: "-")
            bytes = bytes.dropFirst()
        }
        if bytes.elementsEqual("0".utf8) { return 0 }
        if bytes.isEmpty { return nil }
        func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
        var total: UInt64 = 0
        while !bytes.isEmpty {
            guard bytes.first == UInt8(ascii: ".") || isDigit(bytes.first!) else { return nil }
            // leadingInt: the integer part, failing on overflow.
            var whole: UInt64 = 0
            var sawWhole = false
            while let byte = bytes.first, isDigit(byte) {
                guard whole <= (limit - 1) / 10 else { return nil }
                whole = whole * 10 + UInt64(byte - UInt8(ascii: "0"))
                guard whole <= limit else { return nil }
                bytes = bytes.dropFirst()
                sawWhole = true
            }
            // leadingFraction: digits after the dot; precision beyond 63 bits is dropped, not an error.
            var fraction: UInt64 = 0
            var scale: Double = 1
            var sawFraction = false
            if bytes.first == UInt8(ascii: ".") {
                bytes = bytes.dropFirst()
                var overflowed = false
                while let byte = bytes.first, isDigit(byte) {
                    sawFraction = true
                    bytes = bytes.dropFirst()
                    if overflowed { continue }
                    if fraction > (limit - 1) / 10 {
                        overflowed = true
                        continue
                    }
                    let next = fraction * 10 + UInt64(byte - UInt8(ascii: "0"))
                    if next > limit {
                        overflowed = true
                        continue
                    }
                    fraction = next
                    scale *= 10
                }
            }
            guard sawWhole || sawFraction else { return nil }
            var unitEnd = bytes.startIndex
            while unitEnd < bytes.endIndex, bytes[unitEnd] != UInt8(ascii: "."), !isDigit(bytes[unitEnd]) {
                unitEnd += 1
            }
            guard unitEnd > bytes.startIndex,
                let unit = unitNanoseconds[String(decoding: bytes[bytes.startIndex..<unitEnd], as: UTF8.self)]
            else { return nil }
            bytes = bytes[unitEnd...]
            guard whole <= limit / unit else { return nil }
            var value = whole * unit
            if fraction > 0 {
                value += UInt64(Double(fraction) * (Double(unit) / scale))
                guard value <= limit else { return nil }
            }
            total += value
            guard total <= limit else { return nil }
        }
        if negative { return total == limit ? Int64.min : -Int64(total) }
        guard total <= limit - 1 else { return nil }
        return Int64(total)
    }
}
