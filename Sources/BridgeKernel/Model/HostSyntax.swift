/// Syntax checks for IP address literals.
public enum IPAddressSyntax {
    /// Whether `text` is a dotted-quad IPv4 address.
    ///
    /// Four parts of one to three ASCII digits, each at most 255 and without leading zeros. Checked in one pass
    /// over the bytes: the renderer asks this for every instance.
    public static func isIPv4(_ text: String) -> Bool {
        var dots = 0
        var digits = 0
        var value = 0
        for byte in text.utf8 {
            if byte == UInt8(ascii: ".") {
                guard digits > 0, dots < 3 else { return false }
                dots += 1
                digits = 0
                value = 0
            } else if (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) {
                // A second digit after a leading zero ("01") is not allowed.
                guard digits < 3, digits == 0 || value > 0 else { return false }
                digits += 1
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
                guard value <= 255 else { return false }
            } else {
                return false
            }
        }
        return dots == 3 && digits > 0
    }

    /// Whether `text` is an IPv6 address (optionally with an embedded IPv4 tail or a `%zone`).
    public static func isIPv6(_ text: String) -> Bool {
        var address = Substring(text)
        if let percent = address.firstIndex(of: "%") {
            guard address.index(after: percent) < address.endIndex else { return false }
            address = address[..<percent]
        }
        guard address.contains(":") else { return false }
        let halves = address.components(separatedBy: "::")
        guard halves.count <= 2 else { return false }
        var groupCount = 0
        for (halfIndex, half) in halves.enumerated() where !half.isEmpty {
            let groups = half.split(separator: ":", omittingEmptySubsequences: false)
            for (index, group) in groups.enumerated() {
                let isLastGroup = halfIndex == halves.count - 1 && index == groups.count - 1
                if isLastGroup && group.contains(".") {
                    guard isIPv4(String(group)) else { return false }
                    groupCount += 2
                } else {
                    guard (1...4).contains(group.count), group.allSatisfy(\.isHexDigit) else { return false }
                    groupCount += 1
                }
            }
        }
        return halves.count == 2 ? groupCount <= 7 : groupCount == 8
    }
}

/// Syntax checks for host names as they appear in registry endpoints.
public enum HostNameSyntax {
    /// Whether `text` is an IPv4 literal or a DNS host name (labels of letters, digits, `-` and `_`).
    public static func isValidHost(_ text: String) -> Bool {
        if IPAddressSyntax.isIPv4(text) { return true }
        guard !text.isEmpty, text.utf8.count <= 253 else { return false }
        let trimmed = text.hasSuffix(".") ? String(text.dropLast()) : text
        return trimmed.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { label in
            !label.isEmpty && label.utf8.count <= 63 && label.first != "-" && label.last != "-"
                && label.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
        }
    }
}
