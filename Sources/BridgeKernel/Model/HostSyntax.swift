/// Syntax checks for IP address literals.
public enum IPAddressSyntax {
    /// Whether `text` is a dotted-quad IPv4 address.
    public static func isIPv4(_ text: String) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return false }
        return parts.allSatisfy { part in
            !part.isEmpty && part.count <= 3 && part.allSatisfy { $0.isASCII && $0.isNumber }
                && Int(part)! <= 255 && !(part.count > 1 && part.hasPrefix("0"))
        }
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
