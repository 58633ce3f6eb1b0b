import BridgeKernel
import Foundation
import KubeSimulator
import Testing

/// Status codes and bodies, validation, field validation and Leases.
@Suite("status bodies and validation")
struct StatusAndValidationTests {
    @Test func unknownPathsGetGoPlainText404() async throws {
        let fixture = try await SimulatorFixture.start()
        defer { Task { await fixture.stop() } }
        for path in [
            "/nope", "/apis/example.com/v1", "/apis/networking.istio.io/v2/serviceentries",
            "/apis/networking.istio.io/v1/namespaces/default/gateways",
        ] {
            let response = try await fixture.http.get(path)
            #expect(response.status == 404)
            #expect(response.text == "404 page not found\n")
            #expect(response.values("Content-Type") == ["text/plain; charset=utf-8"])
        }
    }

    @Test func missingObjectsAndDuplicatesGetTheirStatusBodies() async throws {
        let fixture = try await SimulatorFixture.start()
        defer { Task { await fixture.stop() } }
        let missing = try await fixture.http.get(Objects.sePath + "/ghost")
        #expect(missing.status == 404)
        #expect(
            missing.json
                == [
                    "kind": "Status", "apiVersion": "v1", "metadata": [:], "status": "Failure",
                    "message": "serviceentries.networking.istio.io \"ghost\" not found", "reason": "NotFound",
                    "details": ["name": "ghost", "group": "networking.istio.io", "kind": "serviceentries"], "code": 404,
                ])
        try await fixture.seed(Objects.sePath, Objects.serviceEntry("x"))
        let duplicate = try await fixture.http.request(.POST, Objects.sePath, json: Objects.serviceEntry("x"))
        #expect(duplicate.status == 409)
        #expect(duplicate.json?["reason"] == "AlreadyExists")
        #expect(duplicate.json?["message"] == "serviceentries.networking.istio.io \"x\" already exists")

        let wrongMethod = try await fixture.http.request(.POST, Objects.sePath + "/x", json: Objects.serviceEntry("x"))
        #expect(wrongMethod.status == 405)
        #expect(wrongMethod.json?["reason"] == "MethodNotAllowed")

        let smp = try await fixture.http.request(
            .PATCH, Objects.sePath + "/x", body: "{}", contentType: "application/strategic-merge-patch+json")
        #expect(smp.status == 415)
        #expect(
            smp.json?["message"]
                == "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml"
        )

        let noNamespace = try await fixture.http.request(
            .POST, "/apis/networking.istio.io/v1/namespaces/nowhere/serviceentries",
            json: Objects.serviceEntry("x", namespace: "nowhere"))
        #expect(noNamespace.status == 404)
        #expect(noNamespace.json?["message"] == "namespaces \"nowhere\" not found")
    }

    @Test func invalidServiceEntryGetsThe422FromTheCRDValidator() async throws {
        let fixture = try await SimulatorFixture.start()
        defer { Task { await fixture.stop() } }
        var object = Objects.serviceEntry("x")
        object["spec"]?["ports"] = [["name": "http", "number": 70000]]
        let response = try await fixture.http.request(.POST, Objects.sePath, json: object)
        #expect(response.status == 422)
        #expect(response.json?["reason"] == "Invalid")
        #expect(
            response.json?["message"]
                == "ServiceEntry.networking.istio.io \"x\" is invalid: spec.ports[0].number: Invalid value: \"integer\": port must be between 1-65535"
        )
        #expect(response.json?["details"]?["kind"] == "ServiceEntry")
    }

    @Test func fieldValidationDecidesBetweenWarningAndRejection() async throws {
        let fixture = try await SimulatorFixture.start()
        defer { Task { await fixture.stop() } }
        var object = Objects.serviceEntry("x")
        object["spec"]?["colour"] = "blue"
        let strict = try await fixture.http.request(.POST, Objects.sePath + "?fieldValidation=Strict", json: object)
        #expect(strict.status == 400)
        #expect(strict.json?["message"] == "strict decoding error: unknown field \"spec.colour\"")

        let warned = try await fixture.http.request(.POST, Objects.sePath, json: object)
        #expect(warned.status == 201)
        #expect(warned.values("Warning") == ["299 - \"unknown field \\\"spec.colour\\\"\""])
        #expect(warned.json?["spec"]?["colour"] == nil)

        var second = object
        second["metadata"]?["name"] = "y"
        let ignored = try await fixture.http.request(.POST, Objects.sePath + "?fieldValidation=Ignore", json: second)
        #expect(ignored.status == 201)
        #expect(ignored.values("Warning").isEmpty)
    }

    @Test func dryRunValidatesWithoutStoring() async throws {
        let fixture = try await SimulatorFixture.start()
        defer { Task { await fixture.stop() } }
        let before = fixture.simulator.store.revision
        let response = try await fixture.http.request(
            .POST, Objects.sePath + "?dryRun=All", json: Objects.serviceEntry("x"))
        #expect(response.status == 201)
        #expect(fixture.simulator.store.revision == before)
        #expect(fixture.simulator.store.keys(group: "networking.istio.io", resource: "serviceentries").isEmpty)
        #expect(fixture.simulator.writeLog.all.isEmpty)
    }

    @Test func deletePreconditionsAndFinalizersBehaveLikeTheStore() async throws {
        let fixture = try await SimulatorFixture.start()
        defer { Task { await fixture.stop() } }
        var object = Objects.serviceEntry("x")
        object["metadata"]?["finalizers"] = ["example.com/hold"]
        let created = try await fixture.seed(Objects.sePath, object)
        let wrongUID = try await fixture.http.request(
            .DELETE, Objects.sePath + "/x", json: ["preconditions": ["uid": "other"]])
        #expect(wrongUID.status == 409)
        #expect(
            wrongUID.json?["message"]?.stringValue?.hasSuffix(
                "AdditionalErrorMsg: Precondition failed: UID in precondition: other, UID in object meta: \(created["metadata"]?["uid"]?.stringValue ?? "")"
            )
                == true)
        let pending = try await fixture.http.request(.DELETE, Objects.sePath + "/x")
        #expect(pending.status == 200)
        #expect(pending.json?["metadata"]?["deletionTimestamp"] != nil)
        var release = try #require(pending.json)
        release["metadata"]?["finalizers"] = []
        let released = try await fixture.http.request(.PUT, Objects.sePath + "/x", json: release)
        #expect(released.status == 200)
        #expect(fixture.simulator.store.keys(group: "networking.istio.io", resource: "serviceentries").isEmpty)
    }

    @Test func leaseMicroTimeNeedsExactlySixFractionalDigits() async throws {
        let fixture = try await SimulatorFixture.start()
        defer { Task { await fixture.stop() } }
        let seconds = try await fixture.http.request(
            .POST, Objects.leasePath, json: Objects.lease("l", holder: "a", renewTime: "2025-01-02T03:04:05Z"))
        #expect(seconds.status == 400)
        #expect(
            seconds.json?["message"]
                == "Lease in version \"v1\" cannot be handled as a Lease: parsing time \"2025-01-02T03:04:05Z\" as \"2006-01-02T15:04:05.000000Z07:00\": cannot parse \"Z\" as \".000000\""
        )
        let millis = try await fixture.http.request(
            .POST, Objects.leasePath, json: Objects.lease("l", holder: "a", renewTime: "2025-01-02T03:04:05.123Z"))
        #expect(millis.status == 400)

        let micros = try await fixture.http.request(
            .POST, Objects.leasePath,
            json: Objects.lease("l", holder: "a", renewTime: "2025-01-02T05:04:05.123456+02:00"))
        #expect(micros.status == 201)
        #expect(micros.json?["spec"]?["renewTime"] == "2025-01-02T03:04:05.123456Z")
        #expect(micros.json?["metadata"]?["generation"] == nil)
    }

    @Test func leaseValidationAndCreateOnUpdate() async throws {
        let fixture = try await SimulatorFixture.start()
        defer { Task { await fixture.stop() } }
        var zero = Objects.lease("l", holder: "a")
        zero["spec"]?["leaseDurationSeconds"] = 0
        let invalid = try await fixture.http.request(.POST, Objects.leasePath, json: zero)
        #expect(invalid.status == 422)
        #expect(
            invalid.json?["message"]
                == "Lease.coordination.k8s.io \"l\" is invalid: spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0"
        )

        let createdByPut = try await fixture.http.request(
            .PUT, Objects.leasePath + "/l", json: Objects.lease("l", holder: "a"))
        #expect(createdByPut.status == 201)
        let unconditional = try await fixture.http.request(
            .PUT, Objects.leasePath + "/l", json: Objects.lease("l", holder: "b"))
        #expect(unconditional.status == 422)
        #expect(
            unconditional.json?["message"]
                == "leases.coordination.k8s.io \"l\" is invalid: metadata.resourceVersion: Invalid value: 0x0: must be specified for an update"
        )
    }

    @Test func bearerTokensAuthenticateAndOthersGet401() async throws {
        let fixture = try await SimulatorFixture.start(
            KubeSimulatorConfiguration(tokens: ["t0ken": KubeUser(name: "bridge")]))
        defer { Task { await fixture.stop() } }
        let anonymous = try await fixture.http.get(Objects.sePath)
        #expect(anonymous.status == 401)
        #expect(
            anonymous.json
                == [
                    "kind": "Status", "apiVersion": "v1", "metadata": [:], "status": "Failure",
                    "message": "Unauthorized",
                    "reason": "Unauthorized", "code": 401,
                ])
        var client = fixture.http
        client.headers = [("Authorization", "Bearer t0ken")]
        let created = try await client.request(.POST, Objects.sePath, json: Objects.serviceEntry("x"))
        #expect(created.status == 201)
        #expect(fixture.simulator.writeLog.all.last?.user == "bridge")
        #expect(fixture.simulator.writeLog.all.last?.userAgent == "kube-simulator-tests/1.0")
    }
}
