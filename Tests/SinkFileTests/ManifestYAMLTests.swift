import BridgeKernel
import SinkFile
import Testing

@Suite struct ManifestYAMLTests {
    @Test(arguments: [
        "true", "yes", "on", "Off", "y", "N", "null", "~", "8080", "1e3", "0x1F", "012", "2024-01-01", "", "-x", "*",
        "a: b", ".inf",
    ])
    func ambiguousStringsAreQuoted(text: String) {
        #expect(ManifestYAML.document(["v": .string(text)]).hasPrefix("v: \""), "\(text)")
    }

    @Test(arguments: ["istio-system", "networking.istio.io/v1", "http-8080", "MESH_INTERNAL", "a.b.c"])
    func plainStringsStayPlain(text: String) {
        #expect(ManifestYAML.document(["v": .string(text)]) == "v: \(text)\n")
    }

    @Test func keysAreSortedAndIntegersStayIntegers() {
        let yaml = ManifestYAML.document(["spec": ["b": 2, "a": [1, "2"]], "kind": "X"])
        #expect(yaml == "kind: X\nspec:\n  a:\n  - 1\n  - \"2\"\n  b: 2\n")
    }

    @Test func longStringsAreNotFolded() {
        let long = String(repeating: "abc", count: 100)
        #expect(ManifestYAML.document(["v": .string(long)]) == "v: \(long)\n")
    }
}
