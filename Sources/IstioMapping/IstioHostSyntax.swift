/// Istio's host-name rule for ServiceEntry hosts (`ValidateWildcardDomain`): 1–255 characters, DNS labels
/// separated by dots, an optional `*` first label, and a last label that is not all digits.
enum IstioHostSyntax {
    static func isValid(_ host: String) -> Bool {
        let trimmed = host.hasSuffix(".") ? String(host.dropLast()) : host
        guard (1...255).contains(trimmed.utf8.count), trimmed != "*" else { return false }
        let labels = trimmed.split(separator: ".", omittingEmptySubsequences: false)
        for (index, label) in labels.enumerated() {
            if index == 0, label == "*" { continue }
            let bytes = Array(label.utf8)
            guard (1...63).contains(bytes.count), isAlnum(bytes.first!), isAlnum(bytes.last!),
                bytes.allSatisfy({ isAlnum($0) || $0 == UInt8(ascii: "-") })
            else { return false }
        }
        return !labels.last!.allSatisfy(\.isNumber)
    }

    private static func isAlnum(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }
}
