import BridgeKernel
import Testing

/// `canonicalJSON` is a content fingerprint: its bytes must stay exactly those of the writer it replaced.
@Suite struct CanonicalJSONTests {
    @Test func fixtureDocumentsWriteTheSameBytesAsTheReferenceWriter() throws {
        let documents = try JSONParserTests.repositoryJSONDocuments()
        try #require(!documents.isEmpty)
        for (name, bytes) in documents {
            let value = try JSONValue.parse(bytes)
            #expect(value.canonicalJSON == ReferenceJSONCodec.canonicalJSON(value), "\(name)")
        }
    }

    @Test func generatedDocumentsWriteTheSameBytesAsTheReferenceWriter() {
        var random = RandomJSON(seed: 0x5EED_0003)
        for _ in 0..<1000 {
            let value = random.value(depth: 5)
            #expect(Array(value.canonicalJSON.utf8) == Array(ReferenceJSONCodec.canonicalJSON(value).utf8))
        }
    }

    @Test func everyControlCharacterIsEscapedAsTheReferenceWriterDoes() {
        let controls = String(String.UnicodeScalarView((0..<0x20).map { Unicode.Scalar(UInt8($0)) }))
        for value in [controls, "a" + controls + "b", "\u{7F}\u{80}\u{9F}", "x\"y\\z/"] {
            let json = JSONValue.string(value)
            #expect(json.canonicalJSON == ReferenceJSONCodec.canonicalJSON(json))
        }
    }

    @Test(arguments: [
        (
            JSONValue.string("\u{01}\u{1F}\"\\\n\r\t\u{08}\u{0C}/é😀\u{7F}"),
            #""\u0001\u001f\"\\\n\r\t\u0008\u000c/é😀\#u{7F}""#
        ),
        (.string(""), #""""#), (.string("e\u{0301}中"), "\"e\u{0301}中\""),
        (.int(.min), "-9223372036854775808"), (.int(.max), "9223372036854775807"), (.int(0), "0"), (.int(-7), "-7"),
        (.double(0.1), "0.1"), (.double(-0.0), "0"), (.double(999_999_999_999_999), "999999999999999"),
        (.double(-999_999_999_999_999), "-999999999999999"), (.double(1e15), "1000000000000000.0"),
        (.double(1e16), "1e+16"), (.double(2.5), "2.5"),
        (.double(1e-7), "1e-07"), (.double(.infinity), "null"), (.double(.nan), "null"),
        (.double(.leastNonzeroMagnitude), "5e-324"),
        (.double(123_456_789_012_345.5), "123456789012345.5"),
        (
            JSONValue.object(["b": 1, "a": [true, nil, 2.5], "B": "x", "ab": [:], "é": [], "z": 0, "": 1]),
            #"{"":1,"B":"x","a":[true,null,2.5],"ab":{},"b":1,"z":0,"é":[]}"#
        ),
    ])
    func valuesHaveTheirCanonicalText(value: JSONValue, expected: String) {
        #expect(value.canonicalJSON == expected)
        #expect(ReferenceJSONCodec.canonicalJSON(value) == expected)
    }

    /// Keys are ordered by UTF-8 bytes, not by Swift's `<` (which compares canonical equivalents).
    @Test func keysAreOrderedByTheirUTF8Bytes() {
        let keys = ["\u{00E9}", "e\u{0301}f", "\u{FF21}", "😀", "Z", "a", "\u{7F}", "\u{80}", "aa", "a\u{00}"]
        var members: [String: JSONValue] = [:]
        for (index, key) in keys.enumerated() { members[key] = .int(Int64(index)) }
        let value = JSONValue.object(members)
        let sortedKeys = members.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        let expected =
            "{"
            + sortedKeys.map { JSONValue.string($0).canonicalJSON + ":" + members[$0]!.canonicalJSON }
            .joined(separator: ",") + "}"
        #expect(value.canonicalJSON == expected)
        #expect(value.canonicalJSON == ReferenceJSONCodec.canonicalJSON(value))
    }

    @Test func canonicalTextParsesBackToTheSameCanonicalText() throws {
        var random = RandomJSON(seed: 0x5EED_0004)
        for _ in 0..<300 {
            let text = random.value(depth: 4).canonicalJSON
            #expect(try JSONValue.parse(text).canonicalJSON == text)
        }
    }
}
