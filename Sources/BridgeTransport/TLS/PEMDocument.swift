/// A minimal PEM reader: splits text into `-----BEGIN <label>-----` blocks and base64-decodes them to DER.
///
/// Used where a C library accepts DER but parses PEM too narrowly (libwebsockets 4.1 takes only the first block
/// and trips over surrounding text).
struct PEMDocument: Sendable, Hashable {
    struct Block: Sendable, Hashable {
        /// The label between `BEGIN ` and the dashes, for example `CERTIFICATE` or `PRIVATE KEY`.
        var label: String
        /// The decoded DER bytes.
        var der: [UInt8]
    }

    var blocks: [Block]

    /// Parses `bytes`; returns `nil` if a block is unterminated or its base64 is malformed. Text outside blocks
    /// (comments, `Bag Attributes`) is ignored.
    init?(_ bytes: [UInt8]) {
        let text = String(decoding: bytes, as: UTF8.self)
        var blocks: [Block] = []
        var currentLabel: String?
        var body = ""
        for rawLine in text.split(omittingEmptySubsequences: true, whereSeparator: { $0 == "\n" || $0 == "\r" }) {
            let line = rawLine.trimmingCharacters(in: " \t")
            if let label = Self.label(of: line, marker: "BEGIN") {
                guard currentLabel == nil else { return nil }
                currentLabel = label
                body = ""
            } else if let label = Self.label(of: line, marker: "END") {
                guard label == currentLabel, let der = Base64.decode(body) else { return nil }
                blocks.append(Block(label: label, der: der))
                currentLabel = nil
            } else if currentLabel != nil {
                // Skip RFC 1421 headers such as "Proc-Type: 4,ENCRYPTED".
                if !line.contains(":") {
                    body += line
                }
            }
        }
        guard currentLabel == nil else { return nil }
        self.blocks = blocks
    }

    /// The DER of every block whose label is `label`.
    func ders(labelled label: String) -> [[UInt8]] {
        self.blocks.filter { $0.label == label }.map(\.der)
    }

    /// The first private key block (`PRIVATE KEY`, `RSA PRIVATE KEY`, `EC PRIVATE KEY`).
    var privateKey: Block? {
        self.blocks.first { $0.label.hasSuffix("PRIVATE KEY") && !$0.label.hasPrefix("ENCRYPTED") }
    }

    private static func label(of line: Substring, marker: String) -> String? {
        let prefix = "-----\(marker) "
        guard line.hasPrefix(prefix), line.hasSuffix("-----"), line.count > prefix.count + 5 else { return nil }
        return String(line.dropFirst(prefix.count).dropLast(5))
    }
}

extension Substring {
    fileprivate func trimmingCharacters(in set: String) -> Substring {
        var result = self
        while let first = result.first, set.contains(first) { result.removeFirst() }
        while let last = result.last, set.contains(last) { result.removeLast() }
        return result
    }
}

/// Standard base64 (RFC 4648) decoding, tolerant of missing padding.
enum Base64 {
    static func decode(_ text: String) -> [UInt8]? {
        var output: [UInt8] = []
        output.reserveCapacity(text.utf8.count * 3 / 4)
        var accumulator: UInt32 = 0
        var bits = 0
        var sawPadding = false
        for byte in text.utf8 {
            let value: UInt32
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): value = UInt32(byte - UInt8(ascii: "A"))
            case UInt8(ascii: "a")...UInt8(ascii: "z"): value = UInt32(byte - UInt8(ascii: "a")) + 26
            case UInt8(ascii: "0")...UInt8(ascii: "9"): value = UInt32(byte - UInt8(ascii: "0")) + 52
            case UInt8(ascii: "+"): value = 62
            case UInt8(ascii: "/"): value = 63
            case UInt8(ascii: "="):
                sawPadding = true
                continue
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"), UInt8(ascii: "\n"):
                continue
            default:
                return nil
            }
            if sawPadding { return nil }
            accumulator = (accumulator << 6) | value
            bits += 6
            if bits >= 8 {
                bits -= 8
                output.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bits)))
            }
        }
        return output
    }
}
