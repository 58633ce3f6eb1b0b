import BridgeKernel
import Foundation
import Testing

/// `JSONValue.parse` against the `JSONDecoder` path it replaced, and against RFC 8259.
@Suite struct JSONParserTests {
    // MARK: Same values as JSONDecoder

    /// Every JSON document committed to the repository (`*.json` files and each line of `*.jsonl` files under
    /// `Tests/Fixtures` and `benchmarks`).
    @Test func fixtureDocumentsParseExactlyAsJSONDecoderDecodesThem() throws {
        let documents = try Self.repositoryJSONDocuments()
        try #require(documents.count >= 100, "expected the rendering golden file and the benchmark results")
        for (name, bytes) in documents {
            let parsed = try JSONValue.parse(bytes)
            let reference = try ReferenceJSONCodec.decode(bytes)
            #expect(parsed.isIdentical(to: reference), "\(name)")
            #expect(parsed.canonicalJSON == ReferenceJSONCodec.canonicalJSON(reference), "\(name)")
        }
    }

    /// What `JSONDecoder` makes of these numbers was established by decoding them; the `.int`/`.double` split
    /// decides canonical text and equality.
    @Test(arguments: [
        ("1", JSONValue.int(1)), ("-0", .int(0)), ("1.0", .int(1)), ("1e3", .int(1000)), ("1E+2", .int(100)),
        ("9223372036854775807", .int(.max)), ("9223372036854775808", .double(0x1p63)),
        ("-9223372036854775808", .int(.min)), ("-9223372036854775809", .double(-0x1p63)),
        ("0.5", .double(0.5)), ("1.5e-7", .double(1.5e-7)), ("-0.0", .int(0)), ("1.5e3", .int(1500)),
        ("100e-2", .int(1)), ("1e-400", .int(0)), ("-1e-400", .int(0)), ("1.0000000000000000001", .int(1)),
        ("1e18", .int(1_000_000_000_000_000_000)), ("1e19", .double(1e19)),
        ("9007199254740993", .int(9_007_199_254_740_993)), ("9007199254740993.0", .int(9_007_199_254_740_993)),
        ("9007199254740993.5", .int(9_007_199_254_740_993)), ("-9007199254740993.9", .int(-9_007_199_254_740_993)),
        ("123456789012345678901e-3", .double(1.23456789012345678901e17)),
        ("18446744073709551615e-2", .int(184_467_440_737_095_516)),
        ("99999999999999999999999999999999999999999e-24", .double(1e17)),
        ("9223372036854775295.0", .int(9_223_372_036_854_775_295)), ("9223372036854775807.0", .double(0x1p63)),
        ("-9223372036854775808.0", .double(-0x1p63)), ("4.9e-324", .double(.leastNonzeroMagnitude)),
        ("1e308", .double(1e308)),
        ("123456789.123456789", .double(123_456_789.123_456_789)), ("0.1", .double(0.1)),
        ("100000000000000000000", .double(1e20)),
    ])
    func numbersBecomeIntegersOrDoublesAsJSONDecoderDecidesThem(text: String, expected: JSONValue) throws {
        let parsed = try JSONValue.parse(text)
        #expect(parsed.isIdentical(to: expected), "\(text) -> \(parsed)")
        #expect(parsed.isIdentical(to: try ReferenceJSONCodec.decode(text)), "\(text) -> \(parsed)")
    }

    @Test func generatedNumbersParseExactlyAsJSONDecoderDecodesThem() throws {
        var random = RandomJSON(seed: 0x5EED_0001)
        var tokens = (0..<4000).map { _ in random.numberToken() }
        // Around 2^53 and 2^63, where Double, Decimal and Int64 disagree.
        for base in ["9007199254740992", "9007199254740993", "9223372036854775295", "9223372036854775807"] {
            for suffix in ["", ".0", ".5", ".9999999999", "0e-1", "00000e-5", "e0"] {
                tokens += [base + suffix, "-" + base + suffix]
            }
        }
        for token in tokens {
            let reference = try ReferenceJSONCodec.decode(token)
            let parsed = try JSONValue.parse(token)
            #expect(parsed.isIdentical(to: reference), "\(token): \(parsed) but JSONDecoder \(reference)")
            let inArray = try JSONValue.parse("[" + token + "]")
            #expect(inArray.isIdentical(to: .array([reference])), "[\(token)]")
        }
    }

    @Test(arguments: [
        (#""a\"b\\c\/d\be\ff\ng\rh\ti""#, "a\"b\\c/d\u{08}e\u{0C}f\ng\rh\ti"),
        (#""\u0000\u001F\u007f\u00E9\u20AC""#, "\u{00}\u{1F}\u{7F}é€"),
        (#""\ud83d\ude00 \uD83D\uDE00""#, "😀 😀"),
        (#""\udbff\udfff""#, "\u{10FFFF}"),
        ("\"é中😀\u{7F}\"", "é中😀\u{7F}"),
        (#""""#, ""),
        (#""e\u0301""#, "e\u{0301}"),
    ])
    func stringEscapesDecodeToTheirCharacters(text: String, expected: String) throws {
        let parsed = try JSONValue.parse(text)
        #expect(parsed.isIdentical(to: .string(expected)))
        #expect(parsed.isIdentical(to: try ReferenceJSONCodec.decode(text)))
    }

    @Test func generatedDocumentsParseExactlyAsJSONDecoderDecodesThem() throws {
        var random = RandomJSON(seed: 0x5EED_0002)
        for _ in 0..<400 {
            let value = random.value(depth: 4)
            let text = random.text(of: value)
            let parsed = try JSONValue.parse(text)
            let reference = try ReferenceJSONCodec.decode(text)
            #expect(parsed.isIdentical(to: reference), "\(text)")
            #expect(parsed.canonicalJSON == value.canonicalJSON, "\(text)")
        }
    }

    @Test func emptyAndNestedContainersParse() throws {
        let text = #" { "a" : [ ] , "b" : { } , "c" : [ [ [ { "d" : [ null , true , false ] } ] ] ] } "#
        let expected: JSONValue = ["a": [], "b": [:], "c": [[[["d": [nil, true, false]]]]]]
        #expect(try JSONValue.parse(text).isIdentical(to: expected))
        #expect(try JSONValue.parse("[]").isIdentical(to: .array([])))
        #expect(try JSONValue.parse("{}").isIdentical(to: .object([:])))
        #expect(try JSONValue.parse(" \t\r\n\"x\"\n").isIdentical(to: .string("x")))
    }

    @Test func firstOfDuplicatedKeysWinsAsInJSONDecoder() throws {
        for text in [
            #"{"a":1,"b":0,"a":2}"#, #"{"a":{"x":1},"a":{"y":2}}"#, #"{"a\u0062":1,"ab":2}"#,
            "{\"\u{E9}\":1,\"e\u{0301}\":2}", "{\"e\u{0301}\":1,\"\u{E9}\":2}",
        ] {
            let parsed = try JSONValue.parse(text)
            #expect(parsed.isIdentical(to: try ReferenceJSONCodec.decode(text)), "\(text)")
            #expect(parsed.canonicalJSON == ReferenceJSONCodec.canonicalJSON(try ReferenceJSONCodec.decode(text)))
        }
        #expect(try JSONValue.parse(#"{"a":1,"b":0,"a":2}"#) == ["a": 1, "b": 0])
    }

    @Test func byteOrderMarkIsSkipped() throws {
        #expect(try JSONValue.parse([0xEF, 0xBB, 0xBF] + Array(#"{"a":1}"#.utf8)) == ["a": 1])
    }

    @Test func everyCollectionOfBytesParses() throws {
        let text = #"{"k":["v",1,2.5]}"#
        let expected: JSONValue = ["k": ["v", 1, 2.5]]
        #expect(try JSONValue.parse(text) == expected)
        #expect(try JSONValue.parse(Array(text.utf8)) == expected)
        #expect(try JSONValue.parse(Data(text.utf8)) == expected)
        #expect(try JSONValue.parse(Array(("  " + text).utf8).dropFirst(2)) == expected)
        // Not contiguous: read through a copy.
        #expect(try JSONValue.parse(text.utf8.lazy.map { $0 }) == expected)
        #expect(try JSONValue.parse(Substring(text).utf8) == expected)
    }

    @Test func nestingUpToTheLimitParsesAsInJSONDecoder() throws {
        let depth = JSONParseError.maximumDepth
        let arrays = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
        let objects = String(repeating: #"{"a":"#, count: depth) + "1" + String(repeating: "}", count: depth)
        for text in [arrays, objects] {
            #expect(try JSONValue.parse(text).isIdentical(to: try ReferenceJSONCodec.decode(text)))
        }
    }

    // MARK: Rejections

    /// A malformed document and the problem it must be reported as.
    struct Malformed: CustomTestStringConvertible, Sendable {
        var bytes: [UInt8]
        var code: JSONParseError.Code
        var offset: Int

        init(_ text: String, _ code: JSONParseError.Code, at offset: Int) {
            self.init(bytes: Array(text.utf8), code, at: offset)
        }

        init(bytes: [UInt8], _ code: JSONParseError.Code, at offset: Int) {
            self.bytes = bytes
            self.code = code
            self.offset = offset
        }

        var testDescription: String { "\(String(decoding: bytes, as: UTF8.self).debugDescription) → \(code)" }
    }

    @Test(arguments: [
        Malformed("[1,]", .trailingComma, at: 2), Malformed(#"{"a":1,}"#, .trailingComma, at: 6),
        Malformed("[1,2 , ]", .trailingComma, at: 5), Malformed("01", .leadingZero, at: 0),
        Malformed("[-01]", .leadingZero, at: 2), Malformed(#"{"a"}"#, .expectedColon, at: 4),
        Malformed(#"{"a" 1}"#, .expectedColon, at: 5), Malformed(#""abc"#, .unterminatedString, at: 0),
        Malformed(#"["abc\"]"#, .unterminatedString, at: 1),
        Malformed("\"a\u{01}b\"", .unescapedControlCharacter, at: 2),
        Malformed("\"a\tb\"", .unescapedControlCharacter, at: 2),
        Malformed("\"a\nb\"", .unescapedControlCharacter, at: 2),
        Malformed(#"{"a":1}x"#, .trailingContent, at: 7), Malformed("1 2", .trailingContent, at: 2),
        Malformed("[1] [2]", .trailingContent, at: 4), Malformed("nulll", .trailingContent, at: 4),
        Malformed(bytes: [0x31, 0x00], .trailingContent, at: 1), Malformed("NaN", .expectedValue, at: 0),
        Malformed("Infinity", .expectedValue, at: 0), Malformed("[-Infinity]", .invalidNumber, at: 2),
        Malformed("// c\n1", .expectedValue, at: 0), Malformed("/* c */ 1", .expectedValue, at: 0),
        Malformed("[1 /* c */]", .expectedCommaOrArrayEnd, at: 3), Malformed("'a'", .expectedValue, at: 0),
        Malformed("{'a':1}", .expectedKey, at: 1), Malformed("{a:1}", .expectedKey, at: 1),
        Malformed("{1:1}", .expectedKey, at: 1), Malformed("", .unexpectedEnd, at: 0),
        Malformed(" \n ", .unexpectedEnd, at: 3), Malformed("[1", .unexpectedEnd, at: 2),
        Malformed(#"{"a":"#, .unexpectedEnd, at: 5), Malformed(#"{"a":1"#, .unexpectedEnd, at: 6),
        Malformed("[1 2]", .expectedCommaOrArrayEnd, at: 3),
        Malformed(#"{"a":1 "b":2}"#, .expectedCommaOrObjectEnd, at: 7),
        Malformed("[,1]", .expectedValue, at: 1), Malformed("-", .invalidNumber, at: 1),
        Malformed("1.", .invalidNumber, at: 2), Malformed("1.e5", .invalidNumber, at: 2),
        Malformed("1e", .invalidNumber, at: 2), Malformed("1e+", .invalidNumber, at: 3),
        Malformed(".5", .expectedValue, at: 0), Malformed("+1", .expectedValue, at: 0),
        Malformed("0x10", .trailingContent, at: 1), Malformed("1e400", .numberOutOfRange, at: 0),
        Malformed("[-1e400]", .numberOutOfRange, at: 1), Malformed("tru", .invalidLiteral, at: 0),
        Malformed("True", .expectedValue, at: 0), Malformed("[nul]", .invalidLiteral, at: 1),
        Malformed(#""\x""#, .invalidEscape, at: 1), Malformed(#""\U0041""#, .invalidEscape, at: 1),
        Malformed(#""\u12""#, .invalidUnicodeEscape, at: 1), Malformed(#""\u12G4""#, .invalidUnicodeEscape, at: 1),
        Malformed(#""\ud800""#, .unpairedSurrogate, at: 1), Malformed(#""\udc00""#, .unpairedSurrogate, at: 1),
        Malformed(#""\ud800x""#, .unpairedSurrogate, at: 1), Malformed(#""\ud800\u0041""#, .unpairedSurrogate, at: 1),
        Malformed(#""\ud800\ud800""#, .unpairedSurrogate, at: 1), Malformed(#""a\"#, .unexpectedEnd, at: 3),
        Malformed(bytes: [0x22, 0xFF, 0x22], .invalidUTF8, at: 1),
        Malformed(bytes: [0x22, 0xC0, 0xAF, 0x22], .invalidUTF8, at: 1),
        Malformed(bytes: [0x22, 0xED, 0xA0, 0x80, 0x22], .invalidUTF8, at: 1),
        Malformed(bytes: [0x22, 0xF4, 0x90, 0x80, 0x80, 0x22], .invalidUTF8, at: 1),
        Malformed(bytes: [0x22, 0xE2, 0x82, 0x22], .invalidUTF8, at: 1),
        Malformed(bytes: [0x22, 0xE2, 0x82], .invalidUTF8, at: 1),
        Malformed(bytes: [0x22, 0x80, 0x22], .invalidUTF8, at: 1),
        Malformed(bytes: [0x0C, 0x31], .expectedValue, at: 0),
        Malformed(bytes: [0xEF, 0xBB], .expectedValue, at: 0),
    ])
    func malformedDocumentsAreRejectedWithTheirProblemAndPosition(malformed: Malformed) throws {
        let error = #expect(throws: JSONParseError.self) { try JSONValue.parse(malformed.bytes) }
        #expect(error?.code == malformed.code)
        #expect(error?.offset == malformed.offset)
    }

    @Test func nestingBeyondTheLimitIsRejected() throws {
        let depth = JSONParseError.maximumDepth + 1
        let arrays = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
        let objects = String(repeating: #"{"a":"#, count: depth) + "1" + String(repeating: "}", count: depth)
        for text in [arrays, objects, String(repeating: "[", count: 100_000)] {
            let error = #expect(throws: JSONParseError.self) { try JSONValue.parse(text) }
            #expect(error?.code == .nestingTooDeep)
        }
    }

    @Test func errorDescriptionNamesTheByteAndTheProblem() {
        let error = #expect(throws: JSONParseError.self) { try JSONValue.parse(#"{"service": "a" "b"}"#) }
        #expect(error?.description == "invalid JSON at byte 16: expected ',' or '}' after an object member")
    }

    // MARK: Corpus

    /// `(name, bytes)` of every JSON document under `Tests/Fixtures` and `benchmarks`.
    static func repositoryJSONDocuments() throws -> [(String, [UInt8])] {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        var documents: [(String, [UInt8])] = []
        for directory in ["Tests/Fixtures", "benchmarks"] {
            let base = root.appendingPathComponent(directory)
            guard let files = FileManager.default.enumerator(at: base, includingPropertiesForKeys: nil) else {
                continue
            }
            for case let file as URL in files {
                let name = directory + "/" + file.lastPathComponent
                switch file.pathExtension {
                case "json":
                    documents.append((name, Array(try Data(contentsOf: file))))
                case "jsonl":
                    let lines = try Data(contentsOf: file).split(separator: UInt8(ascii: "\n"))
                    for (index, line) in lines.enumerated() { documents.append(("\(name):\(index + 1)", Array(line))) }
                default:
                    continue
                }
            }
        }
        return documents
    }
}
