import BridgeKernel
import Testing

@testable import IstioSchemaValidation

/// The hand-written rule implementations agree with CEL on edge cases.
@Suite struct ValidationRuleCatalogTests {
    private func evaluate(_ rule: String, _ value: JSONValue) throws -> RuleOutcome {
        try #require(ValidationRuleCatalog.implementation(for: rule)).evaluate(value)
    }

    private static let uds =
        #"self.startsWith("unix://") ? (self.substring(7, 8) == "/" || self.substring(7, 8) == "@") : true"#
    private static let cidr =
        #"!((has(self.addresses) ? self.addresses : []).exists(k, k.contains("/")) && !((has(self.resolution) ? self.resolution : "NONE") in ["STATIC", "NONE"]))"#
    private static let uniquePorts = #"self.all(l1, self.exists_one(l2, l1.number == l2.number))"#
    private static let portNames =
        #"self.all(key, size(key) < 63 && key.matches("^[a-zA-Z0-9](?:[-a-zA-Z0-9]*[a-zA-Z0-9])?$"))"#

    @Test func udsPathRuleChecksTheEighthCodePoint() throws {
        #expect(try evaluate(Self.uds, "unix:///run/x.sock") == .satisfied)
        #expect(try evaluate(Self.uds, "unix://@abstract") == .satisfied)
        #expect(try evaluate(Self.uds, "unix://relative") == .violated)
        #expect(try evaluate(Self.uds, "unix://") == .evaluationError("index out of range: 8"))
        #expect(try evaluate(Self.uds, "10.0.0.1") == .satisfied)
    }

    @Test func cidrRuleDefaultsResolutionToNone() throws {
        #expect(try evaluate(Self.cidr, ["addresses": ["10.0.0.0/8"]]) == .satisfied)
        #expect(try evaluate(Self.cidr, ["addresses": ["10.0.0.0/8"], "resolution": "STATIC"]) == .satisfied)
        #expect(try evaluate(Self.cidr, ["addresses": ["10.0.0.0/8"], "resolution": "DNS"]) == .violated)
        #expect(try evaluate(Self.cidr, ["addresses": ["10.0.0.1"], "resolution": "DNS"]) == .satisfied)
    }

    @Test func portNumbersMustBeUniqueAcrossIntAndDouble() throws {
        #expect(try evaluate(Self.uniquePorts, [["number": 80], ["number": 443]]) == .satisfied)
        #expect(try evaluate(Self.uniquePorts, [["number": 80], ["number": 80.0]]) == .violated)
        #expect(try evaluate(Self.uniquePorts, [["name": "a"]]) == .evaluationError("no such key: number"))
    }

    @Test func portNamesAreShortDNSLikeLabels() throws {
        #expect(try evaluate(Self.portNames, ["http-2": 1, "A1": 2]) == .satisfied)
        #expect(try evaluate(Self.portNames, ["-x": 1]) == .violated)
        #expect(try evaluate(Self.portNames, ["é": 1]) == .violated)
        #expect(try evaluate(Self.portNames, [String(repeating: "a", count: 63): 1]) == .violated)
    }

    @Test func durationRuleComparesAgainstOneMillisecond() throws {
        let rule = "duration(self) >= duration('1ms')"
        #expect(try evaluate(rule, "1ms") == .satisfied)
        #expect(try evaluate(rule, "999us") == .violated)
        #expect(try evaluate(rule, "-5s") == .violated)
        #expect(
            try evaluate(rule, "10")
                == .evaluationError("type conversion error from 'string' to 'google.protobuf.Duration'"))
    }

    @Test func selectorRulesLookAtKeysOrValues() throws {
        #expect(try evaluate(#"self.all(key, !key.contains("*"))"#, ["a*": "b"]) == .violated)
        #expect(try evaluate(#"self.all(key, key.size() != 0)"#, ["": "b"]) == .violated)
        #expect(try evaluate(#"!self.contains("*")"#, "a*") == .violated)
        #expect(try evaluate(#"self != "*""#, "*.example.com") == .satisfied)
    }
}
