import BridgeKernel
import Foundation
import IstioSchemaValidation
import Testing

/// Istio's own CRD test vectors (`shared/istio-crds/testdata`): documents without `_err` must be accepted,
/// documents with `_err` rejected with a message containing it.
@Suite(.enabled(if: Fixtures.hasIstioCRDs, Fixtures.missingCRDsComment))
struct IstioTestVectorTests {
    static let files = [
        "serviceentry-valid.yaml", "serviceentry-invalid.yaml", "workloadentry-valid.yaml",
        "workloadentry-invalid.yaml",
        "destinationrule-valid.yaml", "destinationrule-invalid.yaml",
    ]

    @Test(arguments: files)
    func documentsAreAcceptedOrRejectedAsIstioExpects(file: String) throws {
        let schemas = try Fixtures.istioSchemas()
        let path = try #require(Fixtures.crdDirectory) + "/testdata/" + file
        let documents = try KubernetesYAML.documents(try String(contentsOfFile: path, encoding: .utf8))
        #expect(!documents.isEmpty)
        let expectsRejection = file.hasSuffix("-invalid.yaml")
        for document in documents {
            let name = document["metadata"]?["name"]?.stringValue ?? "<unnamed>"
            let wanted = document["_err"]?.stringValue
            #expect(
                (wanted != nil) == expectsRejection,
                "\(file) document \(name): _err presence does not match the file name")
            var object = document
            object["_err"] = nil
            // kubectl fills the namespace from its context; the vectors carry none.
            let result = try schemas.validate(object, options: ValidationOptions(requestNamespace: "default"))
            #expect(result.decodingFailure == nil, "\(file) document \(name): \(result.decodingFailure ?? "")")
            if let wanted {
                let message = result.message ?? ""
                #expect(
                    message.contains(wanted),
                    "\(file) document \(name): expected an error containing \(wanted), got \(message.isEmpty ? "no error" : message)"
                )
            } else {
                #expect(
                    result.errors.isEmpty, "\(file) document \(name): expected acceptance, got \(result.message ?? "")")
            }
        }
    }

    @Test func fieldsUnknownToTheSavedCRDArePrunedNotRejected() throws {
        // destinationrule-valid.yaml uses http2KeepAlive, which istio/api v1.30.3 does not define.
        let schemas = try Fixtures.istioSchemas()
        let object = Fixtures.istio(
            "DestinationRule",
            ["host": "ratings", "trafficPolicy": ["connectionPool": ["http": ["http2KeepAlive": ["interval": "15s"]]]]])
        let result = try schemas.validate(object)
        #expect(result.errors.isEmpty)
        #expect(result.unknownFields == ["spec.trafficPolicy.connectionPool.http.http2KeepAlive"])
        #expect(result.object["spec"]?["trafficPolicy"]?["connectionPool"]?["http"] == .object([:]))
    }
}
