import BridgeKernel
import Foundation
import IstioSchemaValidation
import Testing

/// `metadata` checks the apiserver applies to custom resources.
@Suite struct MetadataValidationTests {
    let validator: CustomResourceValidator

    init() throws {
        let definition = try Fixtures.definition(schemaYAML: "type: object\nproperties:\n  spec: {type: object}")
        validator = try #require(definition.validator(forVersion: "v1"))
    }

    private func errors(metadata: JSONValue, options: ValidationOptions = ValidationOptions()) -> [String] {
        var object = Fixtures.widget([:])
        object["metadata"] = metadata
        return validator.validate(object, options: options).errors.map(\.message)
    }

    @Test func nameMustBeADNSSubdomain() {
        #expect(
            errors(metadata: ["name": "Bad_Name", "namespace": "default"]) == [
                #"metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"#
            ])
        #expect(errors(metadata: ["name": "a.b-c.d", "namespace": "default"]).isEmpty)
        let long = String(repeating: "a", count: 254)
        #expect(
            errors(metadata: ["name": .string(long), "namespace": "default"]) == [
                #"metadata.name: Invalid value: "\#(long)": must be no more than 253 characters"#
            ])
    }

    @Test(arguments: [
        "a", "a.b", "a-b.c-d", "0", "9a.b9", "example.com", "", ".", "a.", ".a", "a..b", "-a", "a-", "a.-b", "a-.b",
        "A", "a_b", "a b", "a.b.c.d.e", "xn--bcher-kva.example", "a/b", "é",
    ])
    func subdomainCheckAgreesWithApimachinerysRegex(name: String) throws {
        let regex = try NSRegularExpression(
            pattern: #"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$"#)
        let matches = regex.firstMatch(in: name, range: NSRange(name.startIndex..., in: name)) != nil
        #expect(NameValidation.dns1123SubdomainErrors(name).isEmpty == matches)
    }

    @Test func nameIsRequiredUnlessGenerateNameIsSet() {
        #expect(
            errors(metadata: ["namespace": "default"]) == [
                "metadata.name: Required value: name or generateName is required"
            ])
        #expect(errors(metadata: ["generateName": "widget-", "namespace": "default"]).isEmpty)
        #expect(errors(metadata: ["generateName": "Widget-", "namespace": "default"]).count == 1)
    }

    @Test func namespaceMustBeADNSLabelAndIsFilledFromTheRequest() {
        #expect(errors(metadata: ["name": "w"]) == ["metadata.namespace: Required value"])
        #expect(errors(metadata: ["name": "w"], options: ValidationOptions(requestNamespace: "team-a")).isEmpty)
        #expect(
            errors(metadata: ["name": "w", "namespace": "a.b"]) == [
                #"metadata.namespace: Invalid value: "a.b": must not contain dots"#
            ])
        #expect(
            errors(metadata: ["name": "w", "namespace": "Default"]) == [
                #"metadata.namespace: Invalid value: "Default": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name', or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"#
            ])
    }

    @Test func labelKeysAndValuesFollowApimachineryRules() {
        let longValue = String(repeating: "v", count: 64)
        #expect(
            errors(metadata: ["name": "w", "namespace": "default", "labels": ["app": .string(longValue)]]) == [
                #"metadata.labels: Invalid value: "\#(longValue)": must be no more than 63 characters"#
            ])
        #expect(
            errors(metadata: ["name": "w", "namespace": "default", "labels": ["bad key": "x"]]) == [
                #"metadata.labels: Invalid value: "bad key": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName', or 'my.name', or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"#
            ])
        #expect(
            errors(metadata: ["name": "w", "namespace": "default", "labels": ["app": "-x"]]) == [
                #"metadata.labels: Invalid value: "-x": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue', or 'my_value', or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"#
            ])
        #expect(
            errors(metadata: ["name": "w", "namespace": "default", "labels": ["Example.com/app": "x"]]).first
                == #"metadata.labels: Invalid value: "Example.com/app": prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"#
        )
        #expect(
            errors(metadata: [
                "name": "w", "namespace": "default", "labels": ["meshbridge.io/service-id": "", "a_b.c": "V-1"],
            ]).isEmpty)
    }

    @Test func annotationKeysAreQualifiedNamesCheckedCaseInsensitively() {
        #expect(
            errors(metadata: [
                "name": "w", "namespace": "default", "annotations": ["Example.COM/Note": "any value at all"],
            ]).isEmpty)
        #expect(errors(metadata: ["name": "w", "namespace": "default", "annotations": ["a/b/c": "x"]]).count == 1)
    }

    @Test func metadataMembersOfTheWrongTypeMakeTheBodyUndecodable() {
        var object = Fixtures.widget([:])
        object["metadata"]?["labels"] = ["app": 1]
        let result = validator.validate(object)
        #expect(result.errors.isEmpty)
        #expect(!result.isValid)
        #expect(
            result.decodingFailure
                == "json: cannot unmarshal number into Go struct field ObjectMeta.labels of type string")
    }
}
