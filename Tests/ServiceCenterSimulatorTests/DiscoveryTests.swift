import BridgeKernel
import HTTPTypes
import ServiceCenterSimulator
import Testing

/// Find, batch find, dependencies and the access rules of §1.3.
@Suite struct DiscoveryTests {
    private let registry = SimulatorHarness.registry

    @Test func findWithConsumerRecordsDependencyAndReturnsAllVersions() async throws {
        try await SimulatorHarness.with { (sim) async throws in
            let v1 = try await sim.createService(appId: "shop", name: "cart", version: "1.0.0")
            let v2 = try await sim.createService(appId: "shop", name: "cart", version: "2.0.0")
            _ = try await sim.createInstance(serviceId: v1, hostName: "a", endpoints: ["rest://1.1.1.1:80"])
            _ = try await sim.createInstance(serviceId: v2, hostName: "b", endpoints: ["rest://2.2.2.2:80"])
            let consumer = try await sim.createService(appId: "shop", name: "web")
            #expect(!(await sim.simulator.dependsOn(consumerId: consumer, providerId: v1)))
            let answer = try await sim.find(appId: "shop", name: "cart", consumerId: consumer)
            #expect(answer.status == 200)
            #expect(answer.json["instances"]?.arrayValue?.count == 2)
            #expect(answer.header("X-Resource-Revision") != nil)
            #expect(await sim.simulator.dependsOn(consumerId: consumer, providerId: v1))
            #expect(await sim.simulator.dependsOn(consumerId: consumer, providerId: v2))
            let providers = try await sim.get("\(registry)/microservices/\(consumer)/providers")
            #expect(
                Set(providers.json["providers"]?.arrayValue?.compactMap { $0["serviceId"]?.stringValue } ?? []) == [
                    v1, v2,
                ])
        }
    }

    @Test func findOfMissingProviderIs400012() async throws {
        try await SimulatorHarness.with { (sim) async throws in
            let consumer = try await sim.createService(appId: "shop", name: "web")
            let answer = try await sim.find(appId: "shop", name: "nope", consumerId: consumer)
            #expect(answer.status == 400)
            #expect(answer.json["errorCode"]?.stringValue == "400012")
            let unknownConsumer = try await sim.find(appId: "shop", name: "nope", consumerId: "ghost")
            #expect(unknownConsumer.json["detail"]?.stringValue == "Consumer[ghost] does not exist.")
        }
    }

    @Test func consumerEnvironmentOverridesRequestedProviderEnvironment() async throws {
        try await SimulatorHarness.with { (sim) async throws in
            let production = try await sim.createService(appId: "shop", name: "cart", environment: "production")
            _ = try await sim.createInstance(serviceId: production, hostName: "p", endpoints: ["rest://1.1.1.1:80"])
            let noEnvironment = try await sim.createService(appId: "shop", name: "cart")
            _ = try await sim.createInstance(serviceId: noEnvironment, hostName: "n", endpoints: ["rest://2.2.2.2:80"])
            // A consumer without environment asking for env=production still gets the environment-less provider.
            let plainConsumer = try await sim.createService(appId: "shop", name: "web")
            let forced = try await sim.find(
                appId: "shop",
                name: "cart",
                consumerId: plainConsumer,
                environment: "production"
            )
            #expect(forced.json["instances"]?[0]?["hostName"]?.stringValue == "n")
            #expect(forced.json["instances"]?.arrayValue?.count == 1)
            // A production consumer gets the production provider whatever env it asks for.
            let productionConsumer = try await sim.createService(appId: "shop", name: "web", environment: "production")
            let matched = try await sim.find(appId: "shop", name: "cart", consumerId: productionConsumer)
            #expect(matched.json["instances"]?[0]?["hostName"]?.stringValue == "p")
            // Without a consumer the env parameter is used as given.
            let anonymous = try await sim.get("\(registry)/instances?appId=shop&serviceName=cart&env=production")
            #expect(anonymous.json["instances"]?[0]?["hostName"]?.stringValue == "p")
        }
    }

    @Test func crossAppFindIsEmptyWithoutAllowCrossAppAndRecordsNoDependency() async throws {
        try await SimulatorHarness.with { (sim) async throws in
            let provider = try await sim.createService(appId: "billing", name: "invoices")
            _ = try await sim.createInstance(serviceId: provider, hostName: "h", endpoints: ["rest://1.1.1.1:80"])
            let consumer = try await sim.createService(appId: "shop", name: "web")
            let answer = try await sim.find(appId: "billing", name: "invoices", consumerId: consumer)
            #expect(answer.status == 200)
            #expect(answer.body == "{}")
            #expect(!(await sim.simulator.dependsOn(consumerId: consumer, providerId: provider)))
            // Listing the provider's instances as that consumer is refused outright.
            var headers = HTTPFields()
            headers[HTTPField.Name("X-ConsumerId")!] = consumer
            let listed = try await sim.get("\(registry)/microservices/\(provider)/instances", headers: headers)
            #expect(listed.json["errorCode"]?.stringValue == "400012")
            #expect(listed.json["detail"]?.stringValue?.hasSuffix("failed, provider instance does not exist") == true)
        }
    }

    @Test func crossAppFindSucceedsWhenProviderAllowsCrossApp() async throws {
        try await SimulatorHarness.with { (sim) async throws in
            let provider = try await sim.createService(
                appId: "billing",
                name: "invoices",
                properties: ["allowCrossApp": "TRUE"]
            )
            _ = try await sim.createInstance(serviceId: provider, hostName: "h", endpoints: ["rest://1.1.1.1:80"])
            let consumer = try await sim.createService(appId: "shop", name: "web")
            let answer = try await sim.find(appId: "billing", name: "invoices", consumerId: consumer)
            #expect(answer.json["instances"]?.arrayValue?.count == 1)
            #expect(await sim.simulator.dependsOn(consumerId: consumer, providerId: provider))
        }
    }

    @Test func serviceCenterIsFoundAsSharedServiceFromAnyApp() async throws {
        try await SimulatorHarness.with { (sim) async throws in
            let consumer = try await sim.createService(appId: "shop", name: "web", environment: "testing")
            let answer = try await sim.find(appId: "default", name: "SERVICECENTER", consumerId: consumer)
            #expect(answer.json["instances"]?[0]?["endpoints"]?[0]?.stringValue == "rest://127.0.0.1:\(sim.port)/")
        }
    }

    @Test func batchFindAnswersUpdatedAndFailedAndOverridesConsumerFromHeader() async throws {
        try await SimulatorHarness.with { (sim) async throws in
            let cart = try await sim.createService(appId: "shop", name: "cart")
            let instance = try await sim.createInstance(
                serviceId: cart, hostName: "h", endpoints: ["rest://1.1.1.1:80"])
            let consumer = try await sim.createService(appId: "shop", name: "web")
            var headers = HTTPFields()
            headers[HTTPField.Name("X-ConsumerId")!] = consumer
            let body = """
                {"consumerServiceId":"ignored","services":[
                  {"service":{"appId":"shop","serviceName":"cart","version":"0.0.1"}},
                  {"service":{"appId":"shop","serviceName":"nope"}},
                  {"service":{"appId":"shop","serviceName":"gone"}}]}
                """
            let answer = try await sim.post(
                "\(registry)/instances/action?type=query&global=true", body, headers: headers)
            #expect(answer.status == 200)
            let services = try #require(answer.json["services"])
            #expect(answer.json["instances"] == nil)
            let updated = try #require(services["updated"]?.arrayValue)
            #expect(updated.count == 1)
            #expect(updated[0]["index"]?.intValue == 0)
            #expect(updated[0]["rev"]?.stringValue?.count == 40)
            #expect(updated[0]["instances"]?[0]?["instanceId"]?.stringValue == instance)
            let failed = try #require(services["failed"]?.arrayValue)
            #expect(failed.count == 1)
            #expect(failed[0]["indexes"] == [1, 2])
            #expect(failed[0]["error"]?["errorCode"]?.stringValue == "400012")
            #expect(failed[0]["error"]?["errorMessage"]?.stringValue == "Micro-service does not exist")
            #expect(
                failed[0]["error"]?["detail"]?.stringValue?.hasPrefix(
                    "Micro-service does not exist(Consumer[\(consumer)]") == true)
            #expect(services["notModified"] == nil)
            #expect(answer.body.hasPrefix(#"{"services":{"failed":[{"indexes":[1,2],"error":{"errorCode":"400012""#))
            #expect(await sim.simulator.dependsOn(consumerId: consumer, providerId: cart))

            // With the current rev the entry moves to notModified.
            let revision = try #require(updated[0]["rev"]?.stringValue)
            let again = try await sim.post(
                "\(registry)/instances/action?type=query",
                #"{"services":[{"service":{"appId":"shop","serviceName":"cart"},"rev":"\#(revision)"}]}"#,
                headers: headers
            )
            #expect(again.body == #"{"services":{"notModified":[0]}}"#)
        }
    }

    @Test func batchFindRejectsOtherActionsAndEmptyQueries() async throws {
        try await SimulatorHarness.with { (sim) async throws in
            let wrong = try await sim.post("\(registry)/instances/action?type=delete", "{}")
            #expect(wrong.json["detail"]?.stringValue == "Invalid action: delete")
            let empty = try await sim.post("\(registry)/instances/action?type=query", "{}")
            #expect(empty.json["detail"]?.stringValue == "Required services or instances")
            let garbage = try await sim.post("\(registry)/instances/action?type=query", "{")
            #expect(garbage.json["detail"]?.stringValue == "Unmarshal error")
        }
    }

    @Test func explicitDependenciesAreAddedAndListed() async throws {
        try await SimulatorHarness.with { (sim) async throws in
            let cart = try await sim.createService(appId: "shop", name: "cart")
            let consumer = try await sim.createService(appId: "shop", name: "web", version: "1.0.0")
            let answer = try await sim.post(
                "\(registry)/dependencies",
                #"{"dependencies":[{"consumer":{"appId":"shop","serviceName":"web","version":"1.0.0"},"providers":[{"appId":"shop","serviceName":"cart","version":"1.0.0+"}]}]}"#
            )
            #expect(answer.status == 200)
            #expect(answer.header("Deprecation") == #"version="v4""#)
            #expect(await sim.simulator.dependsOn(consumerId: consumer, providerId: cart))
            let consumers = try await sim.get("\(registry)/microservices/\(cart)/consumers")
            #expect(consumers.json["consumers"]?[0]?["serviceId"]?.stringValue == consumer)
            let unknown = try await sim.post(
                "\(registry)/dependencies",
                #"{"dependencies":[{"consumer":{"appId":"shop","serviceName":"ghost","version":"1.0.0"},"providers":[{"serviceName":"cart"}]}]}"#
            )
            #expect(unknown.json["detail"]?.stringValue == "Consumer /shop/ghost/1.0.0 does not exist.")
        }
    }

    @Test func serviceCreatedWithInstancesAndTagsIsFoundByTag() async throws {
        try await SimulatorHarness.with { (sim) async throws in
            let created = try await sim.post(
                "\(registry)/microservices",
                #"{"service":{"appId":"shop","serviceName":"cart"},"tags":{"team":"a"},"instances":[{"hostName":"h1"},{"hostName":"h2"}]}"#
            )
            let cart = try #require(created.json["serviceId"]?.stringValue)
            #expect(await sim.simulator.instances(serviceId: cart).map(\.hostName).sorted() == ["h1", "h2"])
            _ = try await sim.createService(appId: "shop", name: "cart", version: "2.0.0")
            let tagged = try await sim.get("\(registry)/instances?appId=shop&serviceName=cart&tags=team")
            #expect(tagged.json["instances"]?.arrayValue?.count == 2)
            let untagged = try await sim.get("\(registry)/instances?appId=shop&serviceName=cart&tags=other")
            #expect(untagged.body == "{}")
        }
    }

    @Test func allowCrossAppCanBeSwitchedOnThroughServiceProperties() async throws {
        try await SimulatorHarness.with { (sim) async throws in
            let provider = try await sim.createService(appId: "billing", name: "invoices")
            _ = try await sim.createInstance(serviceId: provider, hostName: "h", endpoints: [])
            let consumer = try await sim.createService(appId: "shop", name: "web")
            #expect(try await sim.find(appId: "billing", name: "invoices", consumerId: consumer).body == "{}")
            let updated = try await sim.put(
                "\(registry)/microservices/\(provider)/properties",
                #"{"properties":{"allowCrossApp":"true"}}"#
            )
            #expect(updated.status == 200 && updated.body.isEmpty)
            let found = try await sim.find(appId: "billing", name: "invoices", consumerId: consumer)
            #expect(found.json["instances"]?.arrayValue?.count == 1)
        }
    }
}
