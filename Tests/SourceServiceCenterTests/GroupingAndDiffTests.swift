import BridgeKernel
import Testing

@testable import SourceServiceCenter

@Suite struct GroupingAndDiffTests {
    let grouping = ServiceGrouping(
        sourceName: "sc", tenant: "default/default", ignoredNames: ["SERVICECENTER", "meshbridge-watcher"])

    func catalog() -> ServiceCenterCatalog {
        var catalog = ServiceCenterCatalog()
        catalog.applyListing([
            SCService(
                serviceId: "o1", appId: "shop", serviceName: "orders", version: "1.0.0", environment: "production"),
            SCService(
                serviceId: "o2", appId: "shop", serviceName: "orders", version: "1.1.0", environment: "production",
                properties: ["tier": "gold"]),
            SCService(serviceId: "o3", appId: "shop", serviceName: "orders", version: "1.0.0", environment: "testing"),
            SCService(serviceId: "sc", appId: "default", serviceName: "SERVICECENTER", version: "2.2.0"),
        ])
        catalog.applyFind(
            serviceIds: ["o1", "o2", "o3"],
            found: [
                SCInstance(instanceId: "a", serviceId: "o1", endpoints: ["rest://10.0.0.1:8080"], version: "1.0.0"),
                SCInstance(instanceId: "b", serviceId: "o2", endpoints: ["rest://10.0.0.2:8080"], version: "1.1.0"),
                SCInstance(instanceId: "c", serviceId: "o3", endpoints: ["rest://10.0.0.3:8080"]),
            ])
        return catalog
    }

    @Test func versionsOfOneServiceAreOneLogicalService() {
        let (services, problems) = grouping.services(from: catalog())
        #expect(problems.isEmpty)
        let production = ServiceKey(
            source: "sc", domain: "default/default", environment: "production", app: "shop", name: "orders")
        let testing = ServiceKey(
            source: "sc", domain: "default/default", environment: "testing", app: "shop", name: "orders")
        #expect(Set(services.keys) == [production, testing])
        #expect(services[production]?.instances.map(\.id) == ["a", "b"])
        #expect(services[production]?.versions == ["1.0.0", "1.1.0"])
        #expect(services[production]?.metadata == ["tier": "gold"])
        #expect(services[testing]?.instances.first?.version == "1.0.0")
    }

    @Test func groupingOnlyTheServicesAWatchEventTouchedGivesTheSameServicesAsAFullGrouping() {
        let catalog = catalog()
        let testing = ServiceKey(
            source: "sc", domain: "default/default", environment: "testing", app: "shop", name: "orders")
        let (partial, _) = grouping.services(from: catalog, only: [testing])
        #expect(Array(partial.keys) == [testing])
        #expect(partial[testing] == grouping.services(from: catalog).services[testing])
        #expect(grouping.key(for: catalog.services["o3"]!) == testing)
        #expect(grouping.key(for: catalog.services["sc"]!) == nil, "Service Center itself is never published")
    }

    @Test func rememberedConversionsGiveTheSameServicesAndFollowEveryChange() {
        var catalog = catalog()
        var memory = ConvertedInstances()
        let first = grouping.services(from: catalog, only: nil, remembering: &memory)
        #expect(first.services == grouping.services(from: catalog).services)
        #expect(memory.count == 3)
        // A changed instance is converted again; an instance whose service version changed too.
        catalog.apply(
            action: .update,
            instance: SCInstance(
                instanceId: "a", serviceId: "o1", endpoints: ["rest://10.0.0.9:9090", "bogus"], version: "1.0.0"))
        var relisted = Array(catalog.services.values)
        relisted[relisted.firstIndex { $0.serviceId == "o3" }!].version = "2.0.0"
        catalog.applyListing(relisted)
        let second = grouping.services(from: catalog, only: nil, remembering: &memory)
        let fresh = grouping.services(from: catalog)
        #expect(second.services == fresh.services)
        #expect(second.problems == fresh.problems)
        let production = ServiceKey(
            source: "sc", domain: "default/default", environment: "production", app: "shop", name: "orders")
        #expect(second.services[production]?.instances.first?.endpoints.first?.port == 9090)
        // Instances that left the registry are forgotten.
        catalog.apply(action: .delete, instance: SCInstance(instanceId: "b", serviceId: "o2", endpoints: []))
        memory.keepOnly(catalog.instances)
        #expect(memory.count == 2)
    }

    @Test func badEndpointsAreSkippedAndTheInstanceKeepsTheGoodOnes() {
        var catalog = catalog()
        catalog.apply(
            action: .create,
            instance: SCInstance(
                instanceId: "d", serviceId: "o1",
                endpoints: ["@@@@://", "rest://[2001:db8::1]:8080", "rest://orders.example.com:80"], status: "weird"))
        catalog.apply(action: .create, instance: SCInstance(instanceId: "e", serviceId: "o1", endpoints: ["@@@@://"]))
        let (services, problems) = grouping.services(from: catalog)
        let key = ServiceKey(
            source: "sc", domain: "default/default", environment: "production", app: "shop", name: "orders")
        let instance = services[key]?.instances.first { $0.id == "d" }
        #expect(instance?.endpoints.map(\.host) == ["2001:db8::1", "orders.example.com"])
        #expect(instance?.status == .down)
        #expect(services[key]?.instances.contains { $0.id == "e" } == false)
        #expect(problems.contains { $0.contains("service o1") && $0.contains("instance e") })
        #expect(problems.count == 4)
    }

    @Test func watchEventsChangeTheCachedInstances() {
        var catalog = catalog()
        let updated = catalog.apply(
            action: .update,
            instance: SCInstance(instanceId: "a", serviceId: "o1", endpoints: ["rest://10.0.0.1:8080"], status: "DOWN"))
        let deleted = catalog.apply(
            action: .delete, instance: SCInstance(instanceId: "b", serviceId: "o2", endpoints: []))
        let unknown = catalog.apply(
            action: .create, instance: SCInstance(instanceId: "z", serviceId: "unknown", endpoints: []))
        #expect(updated && deleted && !unknown)
        #expect(catalog.instances["o1"]?["a"]?.status == "DOWN")
        #expect(catalog.instances["o2"]?.isEmpty == true)
    }

    @Test func listingDropsInstancesOfVanishedServicesAndReportsNewOnes() {
        var catalog = catalog()
        let new = catalog.applyListing([
            SCService(
                serviceId: "o1", appId: "shop", serviceName: "orders", version: "1.0.0", environment: "production"),
            SCService(serviceId: "p1", appId: "shop", serviceName: "pay"),
        ])
        #expect(new == ["p1"])
        #expect(catalog.instances["o2"] == nil)
        #expect(catalog.instances["o1"]?["a"] != nil)
    }

    @Test func catalogReportsExactlyTheServicesThatChangedSinceItWasLastAsked() {
        var catalog = catalog()
        #expect(Set(catalog.takeTouched().map(\.serviceId)) == ["o1", "o2", "o3", "sc"])
        #expect(catalog.takeTouched().isEmpty, "taking forgets")
        // The same listing, the same find and an unchanged instance touch nothing.
        catalog.applyListing(Array(catalog.services.values))
        catalog.applyFind(serviceIds: ["o3"], found: Array(catalog.instances["o3"]!.values))
        catalog.apply(action: .update, instance: catalog.instances["o1"]!["a"]!)
        catalog.apply(action: .delete, instance: SCInstance(instanceId: "nope", serviceId: "o2", endpoints: []))
        #expect(catalog.takeTouched().isEmpty)
        // A changed instance, a find that differs, and a service that left (reported with its last record).
        var moved = catalog.instances["o1"]!["a"]!
        moved.status = "DOWN"
        catalog.apply(action: .update, instance: moved)
        catalog.applyFind(serviceIds: ["o3"], found: [])
        catalog.applyListing(catalog.services.values.filter { $0.serviceId != "o2" })
        let touched = catalog.takeTouched()
        #expect(Set(touched.map(\.serviceId)) == ["o1", "o2", "o3"])
        #expect(touched.first { $0.serviceId == "o2" }?.version == "1.1.0")
        #expect(catalog.serviceIdsByName["orders"] == ["o1", "o3"])
    }

    @Test func forgettingDepartedInstancesKeepsTheConversionsOfTheRest() {
        var catalog = catalog()
        var memory = ConvertedInstances()
        _ = grouping.services(from: catalog, only: nil, remembering: &memory)
        catalog.apply(action: .delete, instance: SCInstance(instanceId: "a", serviceId: "o1", endpoints: []))
        let production = ServiceKey(
            source: "sc", domain: "default/default", environment: "production", app: "shop", name: "orders")
        // Rebuilding the touched service forgets its departed instance; the others stay remembered.
        _ = grouping.services(from: catalog, only: [production], remembering: &memory)
        #expect(memory.count == 2)
        memory.forgetDeparted(ofService: "o3", current: nil)
        #expect(memory.count == 1)
    }
}
