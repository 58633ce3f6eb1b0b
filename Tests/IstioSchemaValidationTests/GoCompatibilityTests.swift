import BridgeKernel
import Testing

@testable import IstioSchemaValidation

/// Go formatting and parsing helpers that the messages depend on.
@Suite struct GoCompatibilityTests {
    @Test(arguments: [
        (150.0, "150"), (-0.1, "-0.1"), (4_294_967_295.0, "4.294967295e+09"), (1e-05, "1e-05"), (0.0001, "0.0001"),
        (123_456.0, "123456"), (1_234_567.0, "1.234567e+06"), (1e21, "1e+21"), (0.5, "0.5"), (100.0, "100"),
    ])
    func floatsPrintLikeGoPercentV(value: Double, expected: String) {
        #expect(GoFormatting.float(value) == expected)
    }

    @Test func quotingEscapesLikeStrconvQuote() {
        #expect(GoFormatting.quote("a\"b\\\n\t") == #""a\"b\\\n\t""#)
        #expect(GoFormatting.quote("héllo ✓") == #""héllo ✓""#)
        #expect(GoFormatting.quote("\u{7F}\u{200B}") == #""\x7f\u200b""#)
    }

    @Test func goSyntaxPrintsMapsAndSlices() {
        #expect(GoFormatting.goSyntax(["name": "a", "b": 1]) == #"map[string]interface {}{"b":1, "name":"a"}"#)
        #expect(GoFormatting.goSyntax(["a", 1.5, nil, true]) == #"[]interface {}{"a", 1.5, interface {}(nil), true}"#)
    }

    @Test(arguments: [
        ("300s", Int64(300_000_000_000)), ("1.5h", 5_400_000_000_000), ("-1s", -1_000_000_000), ("0", 0),
        ("1ms", 1_000_000),
        ("2\u{00B5}s", 2_000), ("1h30m", 5_400_000_000_000), (".5s", 500_000_000), ("1.s", 1_000_000_000),
        ("9223372036854775807ns", Int64.max),
    ])
    func durationsParseLikeTimeParseDuration(text: String, nanoseconds: Int64) {
        #expect(GoDuration.parse(text) == nanoseconds)
    }

    @Test(arguments: ["", "1", "s", ".", "1x", "1 s", "9223372036854775808ns", "+", "-"])
    func malformedDurationsAreRejected(text: String) {
        #expect(GoDuration.parse(text) == nil)
    }

    @Test func dateTimeFormatFollowsStrfmt() {
        #expect(StringFormat.dateTime.accepts("2024-01-02T03:04:05Z"))
        #expect(StringFormat.dateTime.accepts("2024-01-02T03:04:05.123456+02:00"))
        #expect(!StringFormat.dateTime.accepts("2024-01-02"))
        #expect(!StringFormat.dateTime.accepts("2024-13-02T03:04:05Z"))
        #expect(!StringFormat.dateTime.accepts("2024-01-02T24:04:05Z"))
    }
}
