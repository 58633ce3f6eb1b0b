import BridgeKernel
import Testing

@testable import SourceServiceCenter

@Suite struct PayloadDecodingTests {
    @Test func emptyObjectIsAnEmptyServiceList() throws {
        let (services, problems) = try ServiceCenterPayloads.services(Array("{}".utf8))
        #expect(services.isEmpty)
        #expect(problems.isEmpty)
    }

    @Test func serviceListIgnoresUnknownFieldsAndSkipsEntriesWithoutId() throws {
        let body = """
            {"services":[{"serviceId":"s1","appId":"shop","serviceName":"orders","version":"1.0.0",
              "environment":"production","properties":{"allowCrossApp":"true"},"futureField":{"x":1}},
             {"serviceName":"noid"},
             {"serviceId":"s2","serviceName":"pay"}]}
            """
        let (services, problems) = try ServiceCenterPayloads.services(Array(body.utf8))
        #expect(services.map(\.serviceId) == ["s1", "s2"])
        #expect(services[0].environment == "production")
        #expect(services[0].properties == ["allowCrossApp": "true"])
        #expect(services[1].appId == "default")
        #expect(problems.count == 1)
    }

    @Test func malformedJSONIsAPayloadError() {
        #expect(throws: ServiceCenterPayloadError.self) { try ServiceCenterPayloads.services(Array("{oops".utf8)) }
        #expect(throws: ServiceCenterPayloadError.self) {
            try ServiceCenterPayloads.services(Array(#"{"services":"x"}"#.utf8))
        }
    }

    @Test func batchFindReadsUpdatedAndFailedIndexes() throws {
        let body = """
            {"services":{"updated":[{"index":0,"rev":"r","instances":[{"instanceId":"i1","serviceId":"s1",
              "endpoints":["rest://10.0.0.1:8080"],"dataCenterInfo":{"region":"r1","availableZone":"az1"}},
              {"endpoints":["rest://10.0.0.2:8080"]}]}],
             "failed":[{"indexes":[1,2],"error":{"errorCode":"400012","errorMessage":"Micro-service does not exist"}}]}}
            """
        let result = try ServiceCenterPayloads.batchFind(Array(body.utf8))
        #expect(result.updated[0]?.map(\.instanceId) == ["i1"])
        #expect(result.updated[0]?.first?.zone == "az1")
        #expect(result.failed == [1: "Micro-service does not exist", 2: "Micro-service does not exist"])
        #expect(result.problems.count == 1)
    }

    @Test func watchFramesAreClassified() {
        let update = ServiceCenterPayloads.watchFrame(
            #"{"action":"UPDATE","key":{"tenant":"default/default","appId":"a","serviceName":"s","version":"1"},"instance":{"instanceId":"i","serviceId":"s1","endpoints":["rest://1.1.1.1:80"],"status":"DOWN"}}"#
        )
        guard case .instance(.update, let instance) = update else {
            Issue.record("expected an UPDATE, got \(update)")
            return
        }
        #expect(instance.status == "DOWN")
        #expect(ServiceCenterPayloads.watchFrame("service does not exist") == .consumerMissing)
        if case .requery = ServiceCenterPayloads.watchFrame(#"{"action":"EXPIRE","instance":{}}"#) {
        } else {
            Issue.record("EXPIRE must re-query")
        }
        if case .requery = ServiceCenterPayloads.watchFrame("not json") {
        } else {
            Issue.record("garbage must re-query")
        }
        if case .requery = ServiceCenterPayloads.watchFrame(#"{"action":"CREATE"}"#) {
        } else {
            Issue.record("a frame without an instance must re-query")
        }
    }

    @Test func errorMessageReadsServiceCenterErrors() {
        let body = #"{"errorCode":"500003","errorMessage":"Internal server error","detail":"boom"}"#
        #expect(ServiceCenterPayloads.errorMessage(Array(body.utf8)) == "500003 Internal server error (boom)")
        #expect(ServiceCenterPayloads.errorMessage([]) == "empty body")
    }
}
