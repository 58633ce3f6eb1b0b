import BridgeKernel
import IstioSchemaValidation
import Testing

/// The OpenAPI, pruning and list-type behaviour on a small CRD built inline (needs no files).
@Suite struct StructuralValidationTests {
    static let schema = """
        type: object
        required: [spec]
        properties:
          spec:
            type: object
            required: [name]
            properties:
              name: {type: string, maxLength: 5, minLength: 2}
              mode: {type: string, enum: [A, B]}
              count: {type: integer, minimum: 1, maximum: 10}
              ratio: {type: number, maximum: 1, exclusiveMaximum: true, nullable: true}
              tags: {type: array, maxItems: 2, items: {type: string}, x-kubernetes-list-type: set}
              ports:
                type: array
                x-kubernetes-list-type: map
                x-kubernetes-list-map-keys: [name]
                items:
                  type: object
                  required: [name]
                  properties:
                    name: {type: string}
                    port: {type: integer}
              labels: {type: object, maxProperties: 2, additionalProperties: {type: string}}
              size:
                x-kubernetes-int-or-string: true
                anyOf: [{type: integer}, {type: string}]
              when: {type: string, format: date-time}
              host:
                type: string
                x-kubernetes-validations:
                - rule: self != "*"
                  message: no stars
              extra:
                type: object
                x-kubernetes-preserve-unknown-fields: true
                properties:
                  known: {type: string}
          status:
            type: object
            x-kubernetes-preserve-unknown-fields: true
        """

    let validator: CustomResourceValidator

    init() throws {
        validator = try #require(try Fixtures.definition(schemaYAML: Self.schema).validator(forVersion: "v1"))
    }

    private func messages(_ spec: JSONValue) -> [String] {
        validator.validate(Fixtures.widget(spec)).errors.map(\.message)
    }

    @Test func validObjectHasNoErrors() {
        let result = validator.validate(
            Fixtures.widget([
                "name": "ab", "mode": "A", "count": 3, "ratio": 0.5, "tags": ["x", "y"],
                "ports": [["name": "a", "port": 1], ["name": "b", "port": 1]], "labels": ["k": "v"], "size": "50%",
                "when": "2024-02-29T10:00:00.5+01:00", "host": "example.com", "extra": ["anything": [1, 2]],
            ]))
        #expect(result.errors.isEmpty, "\(result.errors)")
        #expect(result.unknownFields.isEmpty)
    }

    @Test func wrongJSONTypeIsTypeInvalidWithTheActualTypeAsValue() {
        let result = validator.validate(Fixtures.widget(["name": "ab", "count": "3"]))
        let error = result.errors[0]
        #expect(error.reason == .typeInvalid)
        #expect(error.field == "spec.count")
        #expect(
            error.message
                == #"spec.count: Invalid value: "string": spec.count in body must be of type integer: "string""#)
    }

    @Test func integralNumbersPassAsIntegersButFractionsDoNot() {
        #expect(messages(["name": "ab", "count": 3.0]).isEmpty)
        #expect(
            messages(["name": "ab", "count": 3.5]).first
                == #"spec.count: Invalid value: "number": spec.count in body must be of type integer: "number""#)
    }

    @Test func enumViolationListsSupportedValues() {
        let result = validator.validate(Fixtures.widget(["name": "ab", "mode": "C"]))
        #expect(result.errors.first?.reason == .notSupported)
        #expect(result.errors.first?.message == #"spec.mode: Unsupported value: "C": supported values: "A", "B""#)
    }

    @Test func numericBoundsUseKubeOpenAPIWording() {
        #expect(
            messages(["name": "ab", "count": 0]) == [
                "spec.count: Invalid value: 0: spec.count in body should be greater than or equal to 1"
            ])
        #expect(
            messages(["name": "ab", "count": 11]) == [
                "spec.count: Invalid value: 11: spec.count in body should be less than or equal to 10"
            ])
        #expect(
            messages(["name": "ab", "ratio": 1.0]) == [
                "spec.ratio: Invalid value: 1: spec.ratio in body should be less than 1"
            ])
    }

    @Test func stringLengthCountsCodePoints() {
        #expect(messages(["name": "ééééé"]).isEmpty)
        let tooLong = validator.validate(Fixtures.widget(["name": "abcdef"])).errors
        #expect(tooLong.first?.reason == .tooLong)
        #expect(tooLong.first?.message == "spec.name: Too long: may not be more than 5 bytes")
        #expect(
            messages(["name": "a"]) == [
                #"spec.name: Invalid value: "a": spec.name in body should be at least 2 chars long"#
            ])
    }

    @Test func tooManyItemsAndPropertiesAreTooMany() {
        let items = validator.validate(Fixtures.widget(["name": "ab", "tags": ["a", "b", "c"]])).errors
        #expect(items.first?.reason == .tooMany)
        #expect(items.first?.message == "spec.tags: Too many: 3: must have at most 2 items")
        #expect(
            messages(["name": "ab", "labels": ["a": "1", "b": "2", "c": "3"]]).first
                == "spec.labels: Too many: 3: must have at most 2 items")
    }

    @Test func mapValuesAreCheckedAtDottedPaths() {
        #expect(
            messages(["name": "ab", "labels": ["a": 1]]).first
                == #"spec.labels.a: Invalid value: "integer": spec.labels.a in body must be of type string: "integer""#)
    }

    @Test func setDuplicatesReportTheSecondOccurrence() {
        let errors = validator.validate(Fixtures.widget(["name": "ab", "tags": ["a", "a"]])).errors
        #expect(errors.map(\.message) == [#"spec.tags[1]: Duplicate value: "a""#])
        #expect(errors.first?.reason == .duplicate)
    }

    @Test func listMapDuplicateKeysUseTheApiserverFormat() {
        let spec: JSONValue = [
            "name": "ab",
            "ports": [["name": "a", "port": 1], ["name": "b"], ["name": "a", "port": 2], ["name": "a"]],
        ]
        #expect(messages(spec) == [#"spec.ports[2]: Duplicate value: map[string]interface {}{"name":"a"}"#])
    }

    @Test func missingRequiredFieldsAreRequiredValue() {
        #expect(messages([:]).first == "spec.name: Required value")
        let result = validator.validate(Fixtures.widget(nil))
        #expect(result.errors.first?.message == "spec: Required value")
        #expect(result.errors.first?.reason == .required)
    }

    @Test func intOrStringRejectsOtherTypesThroughTypeAndAnyOf() {
        #expect(
            messages(["name": "ab", "size": true]) == [
                #"spec.size: Invalid value: "boolean": spec.size in body must be of type integer,string: "boolean""#,
                #"<nil>: Invalid value: "": "spec.size" must validate at least one schema (anyOf)"#,
                #"spec.size: Invalid value: "boolean": spec.size in body must be of type integer: "boolean""#,
                #"<nil>: Invalid value: "null": some validation rules were not checked because the object was invalid; correct the existing errors to complete validation"#,
            ])
        #expect(messages(["name": "ab", "size": 3]).isEmpty)
    }

    @Test func dateTimeFormatIsChecked() {
        #expect(
            messages(["name": "ab", "when": "yesterday"]).first
                == #"spec.when: Invalid value: "yesterday": spec.when in body must be of type date-time: "yesterday""#)
        #expect(messages(["name": "ab", "when": "2023-02-29T10:00:00Z"]).count == 2)
        #expect(messages(["name": "ab", "when": "2024-02-29t23:59:59z"]).isEmpty)
    }

    @Test func ruleFailuresReportTheSchemaTypeAsValue() {
        #expect(messages(["name": "ab", "host": "*"]) == [#"spec.host: Invalid value: "string": no stars"#])
    }

    @Test func blockingErrorsSkipTheRules() {
        #expect(
            messages(["host": "*"]) == [
                "spec.name: Required value",
                #"<nil>: Invalid value: "null": some validation rules were not checked because the object was invalid; correct the existing errors to complete validation"#,
            ])
        // A non-blocking (Invalid) error still lets the rules run.
        #expect(messages(["name": "ab", "count": 0, "host": "*"]).count == 2)
    }

    @Test func nullsOfNonNullableFieldsArePrunedBeforeValidation() {
        let result = validator.validate(Fixtures.widget(["name": "ab", "mode": nil, "ratio": nil]))
        #expect(result.errors.isEmpty)
        #expect(result.object["spec"] == ["name": "ab", "ratio": nil])
        #expect(messages(["name": nil]).first == "spec.name: Required value")
        // Nulls inside lists are not pruned and fail the type check.
        #expect(
            messages(["name": "ab", "tags": [nil]]).first
                == #"spec.tags[0]: Invalid value: "null": spec.tags[0] in body must be of type string: "null""#)
    }

    @Test func unknownFieldsAreReportedSortedAndPrunedButAreNotErrors() {
        let object = Fixtures.widget(
            ["name": "ab", "zzz": 1, "ports": [["name": "a", "bogus": true]], "extra": ["kept": 1, "known": "x"]],
            extra: ["topLevel": "x", "status": ["anything": 1]])
        var withMetadataField = object
        withMetadataField["metadata"]?["colour"] = "blue"
        let result = validator.validate(withMetadataField)
        #expect(result.errors.isEmpty)
        #expect(result.unknownFields == ["metadata.colour", "spec.ports[0].bogus", "spec.zzz", "topLevel"])
        #expect(result.object["spec"]?["ports"] == [["name": "a"]])
        #expect(result.object["spec"]?["extra"] == ["kept": 1, "known": "x"])
        #expect(result.object["status"] == ["anything": 1])
        #expect(result.object["metadata"]?["colour"] == Optional<JSONValue>.none)
        #expect(
            result.strictDecodingMessage
                == #"strict decoding error: unknown field "metadata.colour", unknown field "spec.ports[0].bogus", unknown field "spec.zzz", unknown field "topLevel""#
        )
    }

    @Test func kindAndAPIVersionMustMatchTheValidatorAndAloneAreReported() {
        var object = Fixtures.widget([:])
        object["kind"] = "Gadget"
        object["apiVersion"] = "example.com/v2"
        #expect(
            validator.validate(object).errors.map(\.message) == [
                #"kind: Invalid value: "Gadget": must be Widget"#,
                #"apiVersion: Invalid value: "example.com/v2": must be example.com/v1"#,
            ])
    }

    @Test func unservedVersionsHaveNoValidator() throws {
        let definition = try Fixtures.definition(schemaYAML: Self.schema)
        #expect(definition.validator(forVersion: "v2") == nil)
        #expect(definition.versions.map(\.name) == ["v1", "v2"])
        #expect(definition.storageVersion?.name == "v1")
        #expect(definition.names.shortNames == ["wd"])
        #expect(definition.scope == .namespaced)
        #expect(definition.versions[0].hasStatusSubresource)
    }
}
