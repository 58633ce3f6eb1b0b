import BridgeKernel
import IstioSchemaValidation
import Testing

/// The 422 `Status` body and message.
@Suite struct InvalidStatusTests {
    @Test(.enabled(if: Fixtures.hasIstioCRDs, Fixtures.missingCRDsComment))
    func serviceEntryRuleFailureProducesTheReferenceBody() throws {
        let schemas = try Fixtures.istioSchemas()
        let object = Fixtures.istio(
            "ServiceEntry",
            [
                "hosts": ["example.com"], "resolution": "STATIC", "workloadSelector": ["labels": ["app": "a"]],
                "endpoints": [["address": "1.2.3.4"]],
            ])
        let result = try schemas.validate(object)
        let expected = try JSONValue.parse(
            #"""
            {"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure",
             "message":"ServiceEntry.networking.istio.io \"x\" is invalid: spec: Invalid value: \"object\": only one of WorkloadSelector or Endpoints can be set",
             "reason":"Invalid",
             "details":{"name":"x","group":"networking.istio.io","kind":"ServiceEntry",
               "causes":[{"reason":"FieldValueInvalid","message":"Invalid value: \"object\": only one of WorkloadSelector or Endpoints can be set","field":"spec"}]},
             "code":422}
            """#)
        #expect(result.statusBody?.canonicalJSON == expected.canonicalJSON)
    }

    @Test func severalErrorsAreBracketedAndRepeatedMessagesListedOnce() {
        let errors = [
            FieldError(reason: .required, field: "spec.hosts", badValue: .value(""), detail: ""),
            FieldError(reason: .invalid, field: "spec", badValue: .value("object"), detail: "rule"),
            FieldError(reason: .required, field: "spec.hosts", badValue: .value(""), detail: ""),
        ]
        #expect(
            InvalidStatus.message(group: "networking.istio.io", kind: "ServiceEntry", name: "x", errors: errors)
                == #"ServiceEntry.networking.istio.io "x" is invalid: [spec.hosts: Required value, spec: Invalid value: "object": rule]"#
        )
        let body = InvalidStatus.body(group: "networking.istio.io", kind: "ServiceEntry", name: "", errors: errors)
        #expect(body["details"]?["causes"]?.arrayValue?.count == 3)
        #expect(body["details"]?["name"] == Optional<JSONValue>.none)
        #expect(
            body["details"]?["causes"]?.arrayValue?.first == [
                "reason": "FieldValueRequired", "message": "Required value", "field": "spec.hosts",
            ])
    }

    @Test func validResultsHaveNoStatus() throws {
        let definition = try Fixtures.definition(schemaYAML: "type: object")
        let result = try #require(definition.validator(forVersion: "v1")).validate(Fixtures.widget(nil))
        #expect(result.isValid)
        #expect(result.statusBody == Optional<JSONValue>.none)
        #expect(result.message == nil)
    }
}
