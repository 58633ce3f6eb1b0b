import BridgeKernel

/// Writes JSON-shaped documents as block-style YAML: keys sorted, two-space indentation, sequences under a key
/// not indented (`key:\n- item`), empty collections as `[]` / `{}`, strings plain or double-quoted as
/// ``ManifestYAML/needsQuotes(_:)`` decides, and no line folding.
///
/// The layout decisions mirror libyaml's emitter (the one Yams drives) step by step — the same column, indentation
/// and white-space bookkeeping, the same escapes and the same fallback to an explicit `? key` for keys longer than
/// 128 bytes or spanning lines — so manifests written by earlier versions through Yams stay byte-identical and an
/// upgrade never churns a GitOps repository. It is a narrow, allocation-light replacement for building a Yams node
/// tree and running the general emitter, which dominated the file sink's time.
struct BlockYAMLWriter {
    /// The output so far.
    private(set) var bytes: [UInt8] = []

    // libyaml's emitter state for one document.
    private var column = 0
    private var whitespace = true
    private var indention = true
    private var indent = -1
    private var indents: [Int] = []

    /// libyaml writes keys longer than this (in bytes) as explicit `? key` entries.
    private static let simpleKeyLengthLimit = 128

    init(capacity: Int = 0) {
        bytes.reserveCapacity(capacity)
    }

    /// Appends raw text, such as a comment line or a document separator; it must end with a line break.
    mutating func appendLine(_ text: String) {
        bytes.append(contentsOf: text.utf8)
    }

    /// Appends one document (without a `---` line), ending with a line break.
    mutating func appendDocument(_ value: JSONValue) {
        column = 0
        whitespace = true
        indention = true
        indent = -1
        indents.removeAll(keepingCapacity: true)
        node(value, mappingContext: false, simpleKey: false)
        writeIndent()
    }

    // MARK: Nodes

    private mutating func node(_ value: JSONValue, mappingContext: Bool, simpleKey: Bool) {
        switch value {
        case .null: plain("null")
        case .bool(let flag): plain(flag ? "true" : "false")
        case .int(let number): plain(String(number))
        case .double(let number): plain(number.description)
        case .string(let text): string(text)
        case .array(let elements):
            if elements.isEmpty {
                emptyFlowCollection(open: UInt8(ascii: "["), close: UInt8(ascii: "]"))
            } else {
                blockSequence(elements, mappingContext: mappingContext)
            }
        case .object(let members):
            if members.isEmpty {
                emptyFlowCollection(open: UInt8(ascii: "{"), close: UInt8(ascii: "}"))
            } else {
                blockMapping(members)
            }
        }
    }

    private mutating func string(_ text: String) {
        if ManifestYAML.needsQuotes(text) { doubleQuoted(text) } else { plain(text) }
    }

    private mutating func blockSequence(_ elements: [JSONValue], mappingContext: Bool) {
        // A sequence that is a mapping value shares the key's indentation, as libyaml writes it.
        increaseIndent(flow: false, indentless: mappingContext && !indention)
        for element in elements {
            writeIndent()
            writeIndicator(UInt8(ascii: "-"), needWhitespace: true, isWhitespace: false, isIndention: true)
            node(element, mappingContext: false, simpleKey: false)
        }
        indent = indents.removeLast()
    }

    private mutating func blockMapping(_ members: [String: JSONValue]) {
        increaseIndent(flow: false, indentless: false)
        // Sorting the pairs, not the keys, saves looking every value up again.
        for (key, value) in members.sorted(by: { $0.key < $1.key }) {
            writeIndent()
            if Self.isSimpleKey(key) {
                string(key)
                writeIndicator(UInt8(ascii: ":"), needWhitespace: false, isWhitespace: false, isIndention: false)
            } else {
                writeIndicator(UInt8(ascii: "?"), needWhitespace: true, isWhitespace: false, isIndention: true)
                string(key)
                writeIndent()
                writeIndicator(UInt8(ascii: ":"), needWhitespace: true, isWhitespace: false, isIndention: true)
            }
            node(value, mappingContext: true, simpleKey: false)
        }
        indent = indents.removeLast()
    }

    private mutating func emptyFlowCollection(open: UInt8, close: UInt8) {
        writeIndicator(open, needWhitespace: true, isWhitespace: true, isIndention: false)
        writeIndicator(close, needWhitespace: false, isWhitespace: false, isIndention: false)
    }

    /// Whether libyaml writes `key` as an implicit key: at most 128 bytes and on one line.
    private static func isSimpleKey(_ key: String) -> Bool {
        key.utf8.count <= simpleKeyLengthLimit && !containsLineBreak(key)
    }

    /// Line breaks as YAML counts them: CR, LF, NEL, LS, PS.
    private static func containsLineBreak(_ text: String) -> Bool {
        // Every break's UTF-8 form starts with LF, CR, 0xC2 (NEL) or 0xE2 (LS, PS): a cheap first pass.
        guard text.utf8.contains(where: { $0 == 0x0A || $0 == 0x0D || $0 == 0xC2 || $0 == 0xE2 }) else {
            return false
        }
        return text.unicodeScalars.contains { scalar in
            switch scalar.value {
            case 0x0A, 0x0D, 0x85, 0x2028, 0x2029: return true
            default: return false
            }
        }
    }

    // MARK: Scalars

    /// A plain scalar; the caller guarantees it needs no quoting (ASCII without spaces or breaks).
    private mutating func plain(_ text: String) {
        let count = text.utf8.count
        if !whitespace && count > 0 { put(UInt8(ascii: " ")) }
        bytes.append(contentsOf: text.utf8)
        column += count
        whitespace = false
        indention = false
    }

    /// A double-quoted scalar with libyaml's escapes: `\"`, `\\`, the named C escapes, line breaks, and `\x`,
    /// `\u` or `\U` for everything else YAML does not count as printable (C0/C1 controls, DEL, BOM, U+FFFE/F and
    /// every character outside the Basic Multilingual Plane).
    private mutating func doubleQuoted(_ text: String) {
        writeIndicator(UInt8(ascii: "\""), needWhitespace: true, isWhitespace: false, isIndention: false)
        for scalar in text.unicodeScalars {
            let value = scalar.value
            if Self.isWrittenVerbatim(value) {
                if value < 0x80 {
                    bytes.append(UInt8(truncatingIfNeeded: value))
                } else {
                    Unicode.UTF8.encode(scalar) { bytes.append($0) }
                }
                column += 1
            } else {
                escape(value)
            }
        }
        writeIndicator(UInt8(ascii: "\""), needWhitespace: false, isWhitespace: false, isIndention: false)
    }

    /// libyaml's `IS_PRINTABLE` minus the characters it always escapes (`"`, `\`, breaks, BOM).
    private static func isWrittenVerbatim(_ value: UInt32) -> Bool {
        switch value {
        case 0x22, 0x5C: return false
        case 0x20...0x7E: return true
        case 0x2028, 0x2029, 0xFEFF: return false
        case 0xA0...0xD7FF, 0xE000...0xFFFD: return true
        default: return false
        }
    }

    private mutating func escape(_ value: UInt32) {
        put(UInt8(ascii: "\\"))
        let named: UInt8? =
            switch value {
            case 0x00: UInt8(ascii: "0")
            case 0x07: UInt8(ascii: "a")
            case 0x08: UInt8(ascii: "b")
            case 0x09: UInt8(ascii: "t")
            case 0x0A: UInt8(ascii: "n")
            case 0x0B: UInt8(ascii: "v")
            case 0x0C: UInt8(ascii: "f")
            case 0x0D: UInt8(ascii: "r")
            case 0x1B: UInt8(ascii: "e")
            case 0x22: UInt8(ascii: "\"")
            case 0x5C: UInt8(ascii: "\\")
            case 0x85: UInt8(ascii: "N")
            case 0xA0: UInt8(ascii: "_")
            case 0x2028: UInt8(ascii: "L")
            case 0x2029: UInt8(ascii: "P")
            default: nil
            }
        if let named {
            put(named)
            return
        }
        let digits: Int
        if value <= 0xFF {
            put(UInt8(ascii: "x"))
            digits = 2
        } else if value <= 0xFFFF {
            put(UInt8(ascii: "u"))
            digits = 4
        } else {
            put(UInt8(ascii: "U"))
            digits = 8
        }
        for shift in stride(from: (digits - 1) * 4, through: 0, by: -4) {
            let digit = UInt8(truncatingIfNeeded: (value >> UInt32(shift)) & 0xF)
            put(digit < 10 ? UInt8(ascii: "0") + digit : UInt8(ascii: "A") + digit - 10)
        }
    }

    // MARK: libyaml's layout primitives

    private mutating func put(_ byte: UInt8) {
        bytes.append(byte)
        column += 1
    }

    private mutating func increaseIndent(flow: Bool, indentless: Bool) {
        indents.append(indent)
        if indent < 0 {
            indent = flow ? 2 : 0
        } else if !indentless {
            indent += 2
        }
    }

    private mutating func writeIndent() {
        let target = max(indent, 0)
        if !indention || column > target || (column == target && !whitespace) {
            bytes.append(UInt8(ascii: "\n"))
            column = 0
        }
        while column < target { put(UInt8(ascii: " ")) }
        whitespace = true
        indention = true
    }

    private mutating func writeIndicator(
        _ indicator: UInt8, needWhitespace: Bool, isWhitespace: Bool, isIndention: Bool
    ) {
        if needWhitespace && !whitespace { put(UInt8(ascii: " ")) }
        put(indicator)
        whitespace = isWhitespace
        indention = indention && isIndention
    }
}
