import BridgeKernel

/// Writes manifests as YAML that Kubernetes tooling reads back exactly: keys sorted, integers as integers, and
/// every string that YAML 1.1 (which `kubectl` and Argo CD use) could read as something else — `yes`, `on`,
/// `8080`, `1e3`, `~`, a date — double-quoted. The same objects always give the same bytes.
///
/// The bytes are those libyaml (through Yams) wrote for the same documents in earlier versions; see
/// `BlockYAMLWriter` for how.
public enum ManifestYAML {
    /// One YAML document per object, separated by `---`, after an optional comment header.
    public static func render(_ objects: [ManifestObject], header: [String] = []) -> String {
        var writer = BlockYAMLWriter(capacity: 1024 * (objects.count + 1))
        for line in header { writer.appendLine("# \(line)\n") }
        for object in objects {
            writer.appendLine("---\n")
            writer.appendDocument(object.document)
        }
        return String(decoding: writer.bytes, as: UTF8.self)
    }

    /// One YAML document (without a `---` line) for a JSON value.
    public static func document(_ value: JSONValue) -> String {
        var writer = BlockYAMLWriter(capacity: 256)
        writer.appendDocument(value)
        return String(decoding: writer.bytes, as: UTF8.self)
    }

    /// Whether a string must be quoted to stay a string. Conservative: only ASCII text that starts with a letter,
    /// `/` or `_`, continues with letters, digits and `_ . / - :`, does not end with `:`, and is not a YAML 1.1
    /// boolean or null word (`y`, `yes`, `n`, `no`, `true`, `false`, `on`, `off`, `null`, in any case) may stay
    /// plain.
    static func needsQuotes(_ text: String) -> Bool {
        text.utf8.withContiguousStorageIfAvailable { needsQuotes($0) } ?? needsQuotes(Array(text.utf8))
    }

    private static func needsQuotes(_ bytes: some Collection<UInt8>) -> Bool {
        guard let first = bytes.first else { return true }
        guard isASCIILetter(first) || first == UInt8(ascii: "/") || first == UInt8(ascii: "_") else { return true }
        var last = first
        for byte in bytes {
            guard isPlainByte(byte) else { return true }
            last = byte
        }
        if last == UInt8(ascii: ":") { return true }
        return bytes.count <= 5 && isReservedWord(bytes)
    }

    private static func isASCIILetter(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte | 0x20)
    }

    private static func isPlainByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "/"),
            UInt8(ascii: "-"), UInt8(ascii: ":"):
            return true
        default:
            return false
        }
    }

    /// Words YAML 1.1 resolves to booleans or null, in lower case (`~` cannot pass the first-character rule).
    private static let reservedWords: [[UInt8]] = ["y", "yes", "n", "no", "true", "false", "on", "off", "null"].map {
        Array($0.utf8)
    }

    /// Whether `bytes` (ASCII letters and the plain punctuation) spell a reserved word in any letter case.
    private static func isReservedWord(_ bytes: some Collection<UInt8>) -> Bool {
        reservedWords.contains { word in
            word.count == bytes.count && zip(word, bytes).allSatisfy { $0 == $1 | 0x20 }
        }
    }
}
