import BridgeKernel
import Testing

@Suite struct JSONValueTests {
    @Test func canonicalJSONSortsKeysAndEscapes() throws {
        let value: JSONValue = ["b": 1, "a": ["x": "q\"\n", "arr": [true, nil, 2.5]]]
        #expect(value.canonicalJSON == #"{"a":{"arr":[true,null,2.5],"x":"q\"\n"},"b":1}"#)
    }

    @Test func parseDistinguishesIntegersBooleansAndDoubles() throws {
        let value = try JSONValue.parse(#"{"i":3,"b":false,"d":1.5,"s":"x","n":null,"a":[]}"#)
        #expect(value["i"] == .int(3))
        #expect(value["b"] == .bool(false))
        #expect(value["d"] == .double(1.5))
        #expect(value["s"] == .string("x"))
        #expect(value["n"] == .null)
        #expect(value["a"] == .array([]))
    }

    @Test func parseRejectsMalformedJSON() {
        #expect(throws: (any Error).self) { try JSONValue.parse("{\"a\":") }
    }
}
