import BridgeKernel
import IstioSchemaValidation
import Testing

/// Loading refuses what it cannot enforce.
@Suite struct CRDLoadingTests {
    private func loadingError(_ schema: String) -> CRDLoadingError? {
        do {
            _ = try Fixtures.definition(schemaYAML: schema)
            return nil
        } catch let error as CRDLoadingError {
            return error
        } catch {
            Issue.record("unexpected error \(error)")
            return nil
        }
    }

    @Test func unknownValidationRuleFailsLoadingNamingRuleAndPath() throws {
        let error = try #require(
            loadingError(
                """
                type: object
                properties:
                  spec:
                    type: object
                    properties:
                      name:
                        type: string
                        x-kubernetes-validations:
                        - rule: self.size() > 0
                          message: must not be empty
                """))
        #expect(error.code == .unknownValidationRule)
        #expect(
            error.location
                == "spec.versions[0].schema.openAPIV3Schema.properties.spec.properties.name.x-kubernetes-validations[0]"
        )
        #expect(error.description.contains(#""self.size() > 0""#))
        #expect(error.description.contains("widgets.example.com"))
    }

    @Test func knownRuleOnTheWrongTypeFailsLoading() {
        let error = loadingError(
            "type: object\nproperties:\n  port:\n    type: string\n    x-kubernetes-validations:\n    - rule: 0 < self && self <= 65535"
        )
        #expect(error?.code == .ruleOnUnexpectedType)
    }

    @Test func unsupportedSchemaFeaturesFailLoading() {
        #expect(
            loadingError("type: object\nproperties:\n  a: {type: string, default: x}")?.code
                == .unsupportedSchemaFeature)
        #expect(
            loadingError("type: object\nproperties:\n  a: {type: string, format: ipv4}")?.code
                == .unsupportedSchemaFeature)
        #expect(loadingError("type: object\nproperties:\n  a: {type: string, format: int32}") == nil)
        #expect(
            loadingError(
                "type: object\nproperties:\n  a:\n    type: string\n    x-kubernetes-validations:\n    - rule: self != \"*\"\n      messageExpression: self"
            )?.code == .unsupportedSchemaFeature)
    }

    @Test func nonCRDDocumentsAreRejected() {
        #expect(throws: CRDLoadingError.self) {
            try CustomResourceDefinition(yaml: "apiVersion: v1\nkind: ConfigMap\n")
        }
        #expect(throws: CRDLoadingError.self) { try CustomResourceDefinition(yaml: "a: [") }
    }

    @Test func missingDirectoryIsALoadingError() {
        #expect(throws: CRDLoadingError.self) { try IstioSchemas(directory: "/nonexistent-crd-directory") }
    }

    @Test(.enabled(if: Fixtures.hasIstioCRDs, Fixtures.missingCRDsComment))
    func everyRuleInTheIstioCRDsIsImplemented() throws {
        // Loading fails on any unknown rule; also make sure the catalog holds nothing the CRDs lack.
        let schemas = try Fixtures.istioSchemas()
        var rulesInCRDs = Set<String>()
        func collect(_ value: JSONValue) {
            switch value {
            case .object(let members):
                for (key, member) in members {
                    if key == "x-kubernetes-validations", let rules = member.arrayValue {
                        rulesInCRDs.formUnion(rules.compactMap { $0["rule"]?.stringValue })
                    } else {
                        collect(member)
                    }
                }
            case .array(let elements): elements.forEach(collect)
            default: break
            }
        }
        schemas.definitions.forEach { collect($0.document) }
        #expect(rulesInCRDs == Set(ValidationRuleCatalog.knownRules))
        #expect(rulesInCRDs.count == 16)
    }

}
