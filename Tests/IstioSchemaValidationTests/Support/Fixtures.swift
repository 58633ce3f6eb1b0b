import BridgeKernel
import IstioSchemaValidation
import Testing

/// Shared test inputs.
///
/// The real Istio CRDs live outside the repository (`<checkout>/../shared/istio-crds`, or `$ISTIO_CRDS_DIR`).
/// Tests that need them carry `.enabled(if: Fixtures.hasIstioCRDs, Fixtures.missingCRDsComment)`: when the
/// directory is missing they are reported as *skipped* with that comment in the test output (swift-testing
/// prints `Test … skipped: "…"`), never silently passed. Everything else builds small CRDs inline.
enum Fixtures {
    static let crdDirectory: String? = IstioCRDLocation.directory()

    static var hasIstioCRDs: Bool { crdDirectory != nil }

    static let missingCRDsComment: Comment =
        "SKIPPED: Istio CRDs not found; set ISTIO_CRDS_DIR or check out next to shared/istio-crds"

    /// Loaded once per test process; a load failure fails every test that uses it.
    private static let loaded: Result<IstioSchemas, CRDLoadingError>? = crdDirectory.map { directory in
        Result { () throws(CRDLoadingError) in try IstioSchemas(directory: directory) }
    }

    static func istioSchemas() throws -> IstioSchemas {
        try #require(loaded, "Istio CRD directory not found").get()
    }

    /// A namespaced CRD `widgets.example.com` (kind `Widget`, versions v1 and v2) whose openAPIV3Schema is
    /// `schemaYAML`, written at indentation 0.
    static func definition(schemaYAML: String) throws -> CustomResourceDefinition {
        let indented = schemaYAML.split(separator: "\n", omittingEmptySubsequences: false)
            .map { "        " + $0 }.joined(separator: "\n")
        let yaml = """
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            metadata:
              name: widgets.example.com
            spec:
              group: example.com
              names:
                kind: Widget
                listKind: WidgetList
                plural: widgets
                singular: widget
                shortNames: [wd]
              scope: Namespaced
              versions:
              - name: v1
                served: true
                storage: true
                subresources:
                  status: {}
                schema:
                  openAPIV3Schema:
            \(indented)
              - name: v2
                served: false
                storage: false
                schema:
                  openAPIV3Schema:
            \(indented)
            """
        return try CustomResourceDefinition(yaml: yaml)
    }

    /// A `Widget` object in namespace `default` with the given spec.
    static func widget(_ spec: JSONValue?, name: String = "w1", extra: [String: JSONValue] = [:]) -> JSONValue {
        var object: [String: JSONValue] = [
            "apiVersion": "example.com/v1", "kind": "Widget",
            "metadata": ["name": .string(name), "namespace": "default"],
        ]
        if let spec { object["spec"] = spec }
        for (key, value) in extra { object[key] = value }
        return .object(object)
    }

    /// A `networking.istio.io/v1` object named `x` in namespace `default`.
    static func istio(_ kind: String, _ spec: JSONValue) -> JSONValue {
        [
            "apiVersion": "networking.istio.io/v1", "kind": .string(kind),
            "metadata": ["name": "x", "namespace": "default"], "spec": spec,
        ]
    }
}
