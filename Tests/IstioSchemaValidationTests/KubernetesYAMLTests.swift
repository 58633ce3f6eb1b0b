import BridgeKernel
import IstioSchemaValidation
import Testing

/// YAML is read as kubectl reads it (go-yaml v2 rules).
@Suite struct KubernetesYAMLTests {
    @Test func plainScalarsResolveWithYAML11Rules() throws {
        let value = try KubernetesYAML.document(
            """
            a: yes
            b: Off
            c: 0x1F
            d: 012
            e: 1e3
            f: 1_000
            g: ~
            h: "8080"
            i: .5
            j: 2024-01-02
            k: -7
            l: 150.0
            80: port
            """)
        #expect(
            value == [
                "a": true, "b": false, "c": 31, "d": 10, "e": 1000.0, "f": 1000, "g": nil, "h": "8080", "i": 0.5,
                "j": "2024-01-02", "k": -7, "l": 150.0, "80": "port",
            ])
    }

    @Test func flowScalarsEndingInColonAreStringsAsInGoYAML() throws {
        let value = try KubernetesYAML.document("addresses: [1.2.3.4, 001:db8::, 'q:']\nmap: {a: b:c}\n")
        #expect(value == ["addresses": ["1.2.3.4", "001:db8::", "q:"], "map": ["a": "b:c"]])
    }

    @Test func multipleDocumentsAreSplitAndEmptyOnesSkipped() throws {
        let documents = try KubernetesYAML.documents("a: 1\n---\n# only a comment\n---\nb: 2\n")
        #expect(documents == [["a": 1], ["b": 2]])
    }

    @Test func duplicateKeysAreRejected() {
        #expect(throws: YAMLLoadingError.self) { try KubernetesYAML.documents("a: 1\na: 2\n") }
    }
}
