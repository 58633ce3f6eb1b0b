/// Kubernetes naming rules for object names and labels, and the bridge's deterministic, collision-free way of
/// turning registry identifiers into them.
public enum KubernetesNames {
    /// Whether `text` is a DNS-1123 label: 1–63 of `[a-z0-9-]`, starting and ending alphanumeric.
    public static func isDNSLabel(_ text: String) -> Bool {
        withUTF8(text) { bytes in
            guard (1...63).contains(bytes.count), isLowerAlnum(bytes[0]), isLowerAlnum(bytes[bytes.count - 1])
            else { return false }
            for byte in bytes where !(isLowerAlnum(byte) || byte == UInt8(ascii: "-")) { return false }
            return true
        }
    }

    /// Whether `text` is a DNS-1123 subdomain: ≤253 characters of dot-separated DNS labels.
    public static func isDNSSubdomain(_ text: String) -> Bool {
        text.utf8.count <= 253
            && text.split(separator: ".", omittingEmptySubsequences: false).allSatisfy {
                isDNSLabel(String($0))
            }
    }

    /// Whether `text` is a valid label value: empty, or ≤63 of `[A-Za-z0-9-_.]` starting and ending alphanumeric.
    public static func isLabelValue(_ text: String) -> Bool {
        withUTF8(text) { bytes in
            guard !bytes.isEmpty else { return true }
            guard bytes.count <= 63, isAlnum(bytes[0]), isAlnum(bytes[bytes.count - 1]) else { return false }
            for byte in bytes where !isLabelValueByte(byte) { return false }
            return true
        }
    }

    /// Runs `body` on the UTF-8 bytes of `text` without copying them (native strings are contiguous); these
    /// checks run several times per instance, where iterating a `UTF8View` costs more than the check itself.
    private static func withUTF8<Result>(_ text: String, _ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        if let result = text.utf8.withContiguousStorageIfAvailable(body) { return result }
        var copy = text
        return copy.withUTF8(body)
    }

    private static func isLabelValueByte(_ byte: UInt8) -> Bool {
        isAlnum(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ".")
    }

    /// Whether `text` is a valid label key: an optional DNS-subdomain prefix and `/`, then a name of ≤63
    /// `[A-Za-z0-9-_.]` starting and ending alphanumeric.
    public static func isLabelKey(_ text: String) -> Bool {
        // Most keys have no prefix: then the key is just a name.
        if !text.utf8.contains(UInt8(ascii: "/")) { return !text.isEmpty && isLabelValue(text) }
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        let name = String(parts.last!)
        if parts.count == 2, !isDNSSubdomain(String(parts[0])) { return false }
        return !name.isEmpty && isLabelValue(name)
    }

    /// Turns any text into a label value: invalid characters become `-`, the ends are trimmed to alphanumerics,
    /// and it is cut to 63 characters. Lossy; use for informational labels only.
    public static func labelValue(_ text: String) -> String {
        if isLabelValue(text) { return text }
        var bytes = Array(text.utf8).map { byte -> UInt8 in
            isAlnum(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ".")
                ? byte : UInt8(ascii: "-")
        }
        if bytes.count > 63 { bytes = Array(bytes.prefix(63)) }
        while let last = bytes.last, !isAlnum(last) { bytes.removeLast() }
        while let first = bytes.first, !isAlnum(first) { bytes.removeFirst() }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Turns text into a DNS-1123 label without guaranteeing uniqueness: lower-cased, invalid characters → `-`,
    /// trimmed, cut to `limit`. Returns whether information was lost, so callers can add a disambiguating hash.
    public static func dnsLabel(_ text: String, limit: Int = 63) -> (label: String, lossy: Bool) {
        if text.utf8.count <= limit, isDNSLabel(text) { return (text, false) }
        var bytes = Array(text.lowercased().utf8).map { byte -> UInt8 in
            isLowerAlnum(byte) || byte == UInt8(ascii: "-") ? byte : UInt8(ascii: "-")
        }
        while let first = bytes.first, !isLowerAlnum(first) { bytes.removeFirst() }
        if bytes.count > limit { bytes = Array(bytes.prefix(limit)) }
        while let last = bytes.last, !isLowerAlnum(last) { bytes.removeLast() }
        let label = bytes.isEmpty ? "x" : String(decoding: bytes, as: UTF8.self)
        return (label, label != text)
    }

    /// A short, stable fingerprint of `parts` (FNV-1a 64, 8 hex digits). Stable across runs and machines, unlike
    /// Swift's `hashValue`.
    public static func shortHash(_ parts: [String]) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for part in parts {
            for byte in part.utf8 {
                hash ^= UInt64(byte)
                hash &*= 0x0000_0100_0000_01b3
            }
            hash ^= 0xff  // separator, so ["ab","c"] and ["a","bc"] differ
            hash &*= 0x0000_0100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        let padded = String(repeating: "0", count: max(0, 16 - hex.count)) + hex
        return String(padded.prefix(8))
    }

    private static func isLowerAlnum(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    private static func isAlnum(_ byte: UInt8) -> Bool {
        isLowerAlnum(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
    }
}
