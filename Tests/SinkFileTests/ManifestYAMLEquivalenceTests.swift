import BridgeKernel
import IstioMapping
import SinkFile
import Testing

/// `ManifestYAML` writes YAML itself; these tests hold it to libyaml: the same bytes Yams wrote before, and YAML
/// that libyaml parses back to the very same `JSONValue`.
@Suite struct ManifestYAMLEquivalenceTests {
    /// Strings YAML likes to misread, and strings that need escapes.
    static let nastyStrings: [String] = [
        "", " ", "  ", "yes", "Yes", "YES", "no", "on", "On", "off", "OFF", "y", "Y", "n", "N", "true", "False",
        "null", "NULL", "Null", "nULL", "~", "8080", "\"8080\"", "-1", "+1", "0x1F", "0o17", "012", "1_000", "1e3",
        "1E-3", ".5", "3.", ".inf", "-.inf", ".NaN", "1:30", "190:20:30", "2024-01-01", "2024-01-01T10:00:00Z", "<<",
        "=", "-", "--", "---", "...", "- x", "-x", "? x", "?x", ":x", "x:", "x:y", "a: b", "a:b: c", "a #b", "a#b",
        "#a", " leading", "trailing ", " both ", "tab\tinside", "\ttab", "new\nline", "\n", "\nleading",
        "trailing\n", "cr\rlf\r\n", "two\n\nbreaks", "space \nbreak", "break\n space", "quote\"inside", "'single'",
        "back\\slash", "\\", "\"", "@at", "`tick", "%pct", "&anchor", "*alias", "!tag", "|pipe", ">fold",
        "[flow]", "{flow}", "a,b", "a[b]", "comma,", "ünïcödé", "日本語", "Ελληνικά", "é", "e\u{301}",
        "emoji 🚀", "🚀", "\u{0}", "nul\u{0}inside", "\u{7}\u{8}\u{B}\u{C}\u{1B}", "\u{1}\u{1F}", "del\u{7F}",
        "\u{80}\u{9F}", "nel\u{85}", "nbsp\u{A0}", "\u{A0}", "ls\u{2028}ps\u{2029}", "bom\u{FEFF}", "\u{FFFD}",
        "\u{FFFE}\u{FFFF}", "\u{E000}", "\u{D7FF}", "\u{10000}", "\u{10FFFF}", "istio-system",
        "networking.istio.io/v1", "/path", "_under", "MESH_INTERNAL", "http-8080", "app.kubernetes.io/managed-by",
        "a.b.c", "10.0.0.1", "::1", "fe80::1", String(repeating: "k", count: 128), String(repeating: "k", count: 129),
        String(repeating: "ü", count: 64), String(repeating: "ü", count: 65), String(repeating: "abc ", count: 60),
    ]

    @Test(arguments: nastyStrings)
    func nastyStringsAsValuesMatchLibyamlAndParseBack(text: String) throws {
        let document: JSONValue = ["key": .string(text), "list": [.string(text), [.string(text)]]]
        try expectEquivalent(document)
    }

    @Test(arguments: nastyStrings)
    func nastyStringsAsKeysMatchLibyamlAndParseBack(text: String) throws {
        let document: JSONValue = [
            "outer": .object([text: .string(text), "plain": 1]),
            "items": [.object([text: [.object([text: []])], "z": .object([:])])],
        ]
        try expectEquivalent(document)
    }

    @Test func scalarsOfEveryKindMatchLibyamlAndParseBack() throws {
        let document: JSONValue = [
            "null": nil, "true": true, "false": false, "zero": 0, "negative": -42, "max": .int(.max),
            "min": .int(.min), "half": 0.5, "negativeDouble": -2.25, "big": 1e20, "small": 1e-5, "integral": 3.0,
        ]
        try expectEquivalent(document)
    }

    @Test func emptyAndNestedCollectionsMatchLibyamlAndParseBack() throws {
        let documents: [JSONValue] = [
            [:], [], "root scalar", "", 7, nil, ["a": []], ["a": [:]], [[], [:], [[]], [[:]]],
            ["a": [["b": [["c": [1, [2, [3]]]]]]]], [["x": 1, "y": [["z": "w"]]], ["q": [:]]],
            ["m": ["n": ["o": ["p": "deep"]]]], [[1, 2], ["k": [3, 4]]],
        ]
        for document in documents { try expectEquivalent(document) }
    }

    @Test func renderedIstioObjectsMatchLibyaml() throws {
        let renderer = IstioRenderer()
        for index in 0..<20 {
            let service = Service(
                key: ServiceKey(
                    source: "sc", environment: index % 2 == 0 ? "prod" : "", app: "Shop_\(index)", name: "svc \(index)"),
                instances: (0..<3).map { replica in
                    Instance(
                        id: "inst-\(index)-\(replica)", hostName: "host \(replica)", version: "1.\(replica)",
                        endpoints: [Endpoint(scheme: "rest", host: "10.0.\(index).\(replica + 1)", port: 8080)],
                        metadata: ["zone": "z\(replica)", "weird key": "yes", "on": "8080"], region: "r1",
                        zone: "z\(replica)")
                })
            for object in renderer.render(service).group?.objects ?? [] { try expectEquivalent(object.document) }
        }
    }

    @Test func randomDocumentsMatchLibyamlAndParseBack() throws {
        var generator = DocumentGenerator(seed: 0x6d65_7368_6272_6964)
        for _ in 0..<1_500 { try expectEquivalent(generator.document(depth: 4)) }
    }

    @Test func renderJoinsHeaderAndDocumentsLikeLibyaml() throws {
        let first: JSONValue = ["kind": "A", "spec": ["x": [1]]]
        let second: JSONValue = ["kind": "B", "spec": [:]]
        let objects = [first, second].enumerated().map { index, document in
            ManifestObject(apiVersion: "v1", kind: "K", namespace: "ns", name: "n\(index)", document: document)
        }
        let expected =
            try "# one\n# two\n---\n" + LibyamlReference.document(first) + "---\n"
            + LibyamlReference.document(second)
        #expect(ManifestYAML.render(objects, header: ["one", "two"]) == expected)
    }

    private func expectEquivalent(_ document: JSONValue, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let written = ManifestYAML.document(document)
        let reference = try LibyamlReference.document(document)
        #expect(written == reference, "document \(document.canonicalJSON)", sourceLocation: sourceLocation)
        let parsed = try LibyamlReference.parse(written)
        // Yams turns libyaml's scalars into Swift strings with Foundation, which drops a leading byte order mark
        // (U+FEFF) — after parsing, so the YAML itself is not at fault; compare without it.
        #expect(
            parsed == document.droppingLeadingByteOrderMarks, "document \(document.canonicalJSON)",
            sourceLocation: sourceLocation)
    }
}

extension JSONValue {
    /// The value with one leading U+FEFF removed from every string and key.
    fileprivate var droppingLeadingByteOrderMarks: JSONValue {
        func dropped(_ text: String) -> String {
            text.unicodeScalars.first == "\u{FEFF}" ? String(text.unicodeScalars.dropFirst()) : text
        }
        switch self {
        case .string(let text): return .string(dropped(text))
        case .array(let elements): return .array(elements.map(\.droppingLeadingByteOrderMarks))
        case .object(let members):
            return .object(
                Dictionary(
                    members.map { (dropped($0.key), $0.value.droppingLeadingByteOrderMarks) },
                    uniquingKeysWith: { first, _ in first }))
        default: return self
        }
    }
}

/// Deterministic random JSON documents built from the nasty strings and random text over a nasty alphabet.
struct DocumentGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    /// SplitMix64.
    private mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var value = state
        value = (value ^ (value >> 30)) &* 0xbf58_476d_1ce4_e5b9
        value = (value ^ (value >> 27)) &* 0x94d0_49bb_1331_11eb
        return value ^ (value >> 31)
    }

    private mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }

    private static let alphabet: [Unicode.Scalar] =
        Array(
            "aZ09_./-: #\t\n\r\"'\\,[]{}&*!|>%@`?~=<üé日🚀".unicodeScalars) + [
            "\u{0}", "\u{7}", "\u{1B}", "\u{7F}", "\u{85}", "\u{A0}", "\u{2028}", "\u{FEFF}", "\u{FFFE}",
            "\u{10FFFF}",
        ]

    mutating func string() -> String {
        if below(3) == 0 {
            return ManifestYAMLEquivalenceTests.nastyStrings[below(ManifestYAMLEquivalenceTests.nastyStrings.count)]
        }
        var text = String.UnicodeScalarView()
        for _ in 0..<below(12) { text.append(Self.alphabet[below(Self.alphabet.count)]) }
        return String(text)
    }

    mutating func document(depth: Int) -> JSONValue {
        switch below(depth > 0 ? 9 : 6) {
        case 0: return .null
        case 1: return .bool(below(2) == 0)
        case 2: return .int(Int64(bitPattern: next()) >> below(64))
        case 3: return .double(Double(Int64(bitPattern: next()) >> 40) / 1024)
        case 4, 5: return .string(string())
        case 6: return .array((0..<below(4)).map { _ in document(depth: depth - 1) })
        default:
            var members: [String: JSONValue] = [:]
            for _ in 0..<below(5) { members[string()] = document(depth: depth - 1) }
            return .object(members)
        }
    }
}
