import BridgeKernel
import IstioSchemaValidation
import Testing

/// Exact apiserver messages for the real Istio CRDs (reference §1.2–1.5).
@Suite(.enabled(if: Fixtures.hasIstioCRDs, Fixtures.missingCRDsComment))
struct IstioCRDMessageTests {
    let schemas: IstioSchemas

    init() throws {
        schemas = try Fixtures.istioSchemas()
    }

    private func messages(_ kind: String, _ spec: JSONValue) throws -> [String] {
        try schemas.validate(Fixtures.istio(kind, spec)).errors.map(\.message)
    }

    @Test func definitionsCarryDiscoveryFacts() throws {
        let serviceEntries = try #require(schemas.definition(group: "networking.istio.io", kind: "ServiceEntry"))
        #expect(serviceEntries.name == "serviceentries.networking.istio.io")
        #expect(serviceEntries.names.plural == "serviceentries")
        #expect(serviceEntries.names.shortNames == ["se"])
        #expect(serviceEntries.names.categories == ["istio-io", "networking-istio-io"])
        #expect(serviceEntries.scope == .namespaced)
        #expect(serviceEntries.versions.map(\.name) == ["v1", "v1alpha3", "v1beta1"])
        #expect(serviceEntries.storageVersion?.name == "v1")
        #expect(serviceEntries.versions[0].printerColumns.map(\.name) == ["Hosts", "Location", "Resolution", "Age"])
        #expect(schemas.definitions.map(\.names.kind) == ["ServiceEntry", "WorkloadEntry", "DestinationRule"])
        #expect(
            schemas.validator(apiVersion: "networking.istio.io/v1beta1", kind: "WorkloadEntry")?.apiVersion
                == "networking.istio.io/v1beta1")
    }

    @Test func unsupportedEnumValueListsEveryResolution() throws {
        #expect(
            try messages("ServiceEntry", ["hosts": ["a.example"], "resolution": "FOO"]).first
                == #"spec.resolution: Unsupported value: "FOO": supported values: "NONE", "STATIC", "DNS", "DNS_ROUND_ROBIN", "DYNAMIC_DNS""#
        )
    }

    @Test func listAndStringLimitsOfServiceEntry() throws {
        let hosts = JSONValue.array((0..<257).map { .string("h\($0).example") })
        #expect(
            try messages("ServiceEntry", ["hosts": hosts]).first
                == "spec.hosts: Too many: 257: must have at most 256 items")
        let address = JSONValue.string(String(repeating: "1", count: 65))
        #expect(
            try messages("ServiceEntry", ["hosts": ["a.example"], "addresses": [address]]).first
                == "spec.addresses[0]: Too long: may not be more than 64 bytes")
        #expect(
            try messages("ServiceEntry", ["hosts": []]).first
                == "spec.hosts: Invalid value: 0: spec.hosts in body should have at least 1 items")
    }

    @Test func portsAreIntegersNotStrings() throws {
        let spec: JSONValue = ["hosts": ["a.example"], "ports": [["name": "http", "number": "80"]]]
        #expect(
            try messages("ServiceEntry", spec).first
                == #"spec.ports[0].number: Invalid value: "string": spec.ports[0].number in body must be of type integer: "string""#
        )
    }

    @Test func workloadEntryPortRuleIsReportedAtTheMapKey() throws {
        #expect(
            try messages("WorkloadEntry", ["address": "1.1.1.1", "ports": ["http": 99999]]) == [
                #"spec.ports[http]: Invalid value: "integer": port must be between 1-65535"#
            ])
        #expect(
            try messages("WorkloadEntry", ["address": "1.1.1.1", "ports": [String(repeating: "p", count: 63): 80]]) == [
                #"spec.ports: Invalid value: "object": port name must be valid"#
            ])
        #expect(
            try messages("WorkloadEntry", ["address": "1.1.1.1", "ports": [String(repeating: "p", count: 62): 80]])
                .isEmpty)
    }

    @Test func udsRuleRuntimeErrorIsReportedLikeCEL() throws {
        #expect(
            try messages("WorkloadEntry", ["address": "unix://"]) == [
                #"spec.address: Invalid value: "string": index out of range: 8 evaluating rule: UDS must be an absolute path or abstract socket"#,
                #"spec.address: Invalid value: "string": UDS may not be a dir"#,
            ])
    }

    @Test func serviceEntryEndpointsUseWorkloadEntryRules() throws {
        let spec: JSONValue = ["hosts": ["a.example"], "resolution": "STATIC", "endpoints": [["labels": ["a": "b"]]]]
        #expect(
            try messages("ServiceEntry", spec) == [#"spec.endpoints[0]: Invalid value: "object": Address is required"#])
    }

    @Test func destinationRuleDurationsMustParseAndExceedOneMillisecond() throws {
        func tcp(_ timeout: String) -> JSONValue {
            ["host": "r", "trafficPolicy": ["connectionPool": ["tcp": ["connectTimeout": .string(timeout)]]]]
        }
        #expect(try messages("DestinationRule", tcp("250ms")).isEmpty)
        #expect(try messages("DestinationRule", tcp("1h30m")).isEmpty)
        #expect(
            try messages("DestinationRule", tcp("0.5ms")) == [
                #"spec.trafficPolicy.connectionPool.tcp.connectTimeout: Invalid value: "string": must be a valid duration greater than 1ms"#
            ])
        #expect(
            try messages("DestinationRule", tcp("5")) == [
                #"spec.trafficPolicy.connectionPool.tcp.connectTimeout: Invalid value: "string": type conversion error from 'string' to 'google.protobuf.Duration' evaluating rule: must be a valid duration greater than 1ms"#
            ])
    }

    @Test func destinationRuleLoadBalancerIsOneOf() throws {
        let both: JSONValue = [
            "host": "r",
            "trafficPolicy": ["loadBalancer": ["simple": "ROUND_ROBIN", "consistentHash": ["useSourceIp": true]]],
        ]
        #expect(
            try messages("DestinationRule", both) == [
                #"<nil>: Invalid value: "": "spec.trafficPolicy.loadBalancer" must validate one and only one schema (oneOf). Found 2 valid alternatives"#
            ])
        let twoHashKeys: JSONValue = [
            "host": "r",
            "trafficPolicy": ["loadBalancer": ["consistentHash": ["useSourceIp": true, "httpHeaderName": "x"]]],
        ]
        #expect(
            try messages("DestinationRule", twoHashKeys) == [
                #"<nil>: Invalid value: "": "spec.trafficPolicy.loadBalancer.consistentHash" must validate one and only one schema (oneOf). Found 2 valid alternatives"#,
                #"<nil>: Invalid value: "": "spec.trafficPolicy.loadBalancer.consistentHash" must validate all the schemas (allOf)"#,
            ])
        #expect(
            try messages(
                "DestinationRule", ["host": "r", "trafficPolicy": ["loadBalancer": ["simple": "LEAST_REQUEST"]]]
            ).isEmpty)
    }

    @Test func destinationRuleSelectorRules() throws {
        let spec: JSONValue = ["host": "r", "workloadSelector": ["matchLabels": ["": "a", "k*": "v", "k": "v*"]]]
        #expect(
            try messages("DestinationRule", spec) == [
                #"spec.workloadSelector.matchLabels: Invalid value: "object": wildcard not allowed in label key match"#,
                #"spec.workloadSelector.matchLabels: Invalid value: "object": key must not be empty"#,
                #"spec.workloadSelector.matchLabels[k]: Invalid value: "string": wildcard not allowed in label value match"#,
            ])
    }

    @Test func nullableFieldsKeepNullAndOthersArePruned() throws {
        let spec: JSONValue = ["host": "r", "exportTo": nil, "trafficPolicy": ["tls": ["insecureSkipVerify": nil]]]
        let result = try schemas.validate(Fixtures.istio("DestinationRule", spec))
        #expect(result.errors.isEmpty)
        #expect(result.object["spec"] == ["host": "r", "trafficPolicy": ["tls": ["insecureSkipVerify": nil]]])
    }

    @Test func unknownKindIsALookupError() {
        var object = Fixtures.istio("Gateway", ["servers": []])
        #expect(throws: SchemaLookupError.self) { try schemas.validate(object) }
        object["apiVersion"] = "networking.istio.io/v2"
        object["kind"] = "ServiceEntry"
        #expect(throws: SchemaLookupError.self) { try schemas.validate(object) }
    }
}
