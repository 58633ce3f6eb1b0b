/// Istio's host-name rule for ServiceEntry hosts (`ValidateWildcardDomain`): 1–255 characters, DNS labels
/// separated by dots, an optional `*` first label, and a last label that is not all digits.
enum IstioHostSyntax {
    static func isValid(_ host: String) -> Bool {
        // Only ASCII can pass, and for ASCII text bytes and characters agree: check the bytes in one pass
        // (the renderer asks this for every service).
        var bytes = Substring(host).utf8[...]
        if bytes.last == UInt8(ascii: ".") { bytes = bytes.dropLast() }
        guard (1...255).contains(bytes.count), !bytes.elementsEqual("*".utf8) else { return false }
        var labelStart = bytes.startIndex
        var isFirstLabel = true
        var lastLabelIsNumeric = false
        while true {
            let labelEnd = bytes[labelStart...].firstIndex(of: UInt8(ascii: ".")) ?? bytes.endIndex
            let label = bytes[labelStart..<labelEnd]
            if !(isFirstLabel && label.elementsEqual("*".utf8)) {
                guard (1...63).contains(label.count), isAlnum(label.first!), isAlnum(label.last!),
                    label.allSatisfy({ isAlnum($0) || $0 == UInt8(ascii: "-") })
                else { return false }
            }
            lastLabelIsNumeric = label.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
            guard labelEnd < bytes.endIndex else { break }
            labelStart = bytes.index(after: labelEnd)
            isFirstLabel = false
        }
        return !lastLabelIsNumeric
    }

    private static func isAlnum(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }
}
