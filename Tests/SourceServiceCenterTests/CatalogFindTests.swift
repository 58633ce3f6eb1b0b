import BridgeKernel
import Testing

@testable import SourceServiceCenter

/// Finds run beside the watch events, so an event applied while a find waits for its answer may be newer than
/// that answer.
@Suite struct CatalogFindTests {
    func instance(_ id: String, _ address: String) -> SCInstance {
        SCInstance(instanceId: id, serviceId: "o1", endpoints: ["rest://\(address):8080"])
    }

    func listedCatalog(_ instances: [SCInstance]) -> ServiceCenterCatalog {
        var catalog = ServiceCenterCatalog()
        catalog.applyListing([SCService(serviceId: "o1", appId: "shop", serviceName: "orders")])
        catalog.applyFind(serviceIds: ["o1"], found: instances)
        return catalog
    }

    @Test func eventsAppliedWhileAFindIsInFlightWinOverItsAnswer() {
        var catalog = listedCatalog([instance("a", "10.0.0.1"), instance("b", "10.0.0.2"), instance("c", "10.0.0.3")])
        catalog.beginFind()
        catalog.apply(action: .update, instance: instance("a", "10.0.1.1"))
        catalog.apply(action: .delete, instance: instance("b", "10.0.0.2"))
        catalog.apply(action: .create, instance: instance("e", "10.0.1.5"))
        // The answer was taken before those events: it has the old a, the deleted b, and not e.
        catalog.applyFind(
            serviceIds: ["o1"],
            found: [
                instance("a", "10.0.0.1"), instance("b", "10.0.0.2"), instance("c", "10.0.2.3"),
                instance("d", "10.0.0.4"),
            ])
        let instances = catalog.instances["o1"] ?? [:]
        #expect(instances["a"]?.endpoints == ["rest://10.0.1.1:8080"])
        #expect(instances["b"] == nil)
        #expect(instances["e"]?.endpoints == ["rest://10.0.1.5:8080"])
        // Instances no event named take the answer, new ones included.
        #expect(instances["c"]?.endpoints == ["rest://10.0.2.3:8080"])
        #expect(instances["d"]?.endpoints == ["rest://10.0.0.4:8080"])
        #expect(instances.count == 4)
    }

    @Test func eventsBeforeTheFindBeganDoNotOverruleItsAnswer() {
        var catalog = listedCatalog([instance("a", "10.0.0.1")])
        catalog.apply(action: .update, instance: instance("a", "10.0.1.1"))
        catalog.beginFind()
        catalog.applyFind(serviceIds: ["o1"], found: [instance("a", "10.0.2.1")])
        #expect(catalog.instances["o1"]?["a"]?.endpoints == ["rest://10.0.2.1:8080"])
    }

    @Test func anAbandonedFindLeavesLaterFindsUnaffectedByEarlierEvents() {
        var catalog = listedCatalog([instance("a", "10.0.0.1")])
        catalog.beginFind()
        catalog.apply(action: .delete, instance: instance("a", "10.0.0.1"))
        catalog.abandonFind()
        catalog.beginFind()
        catalog.applyFind(serviceIds: ["o1"], found: [instance("a", "10.0.0.9")])
        #expect(catalog.instances["o1"]?["a"]?.endpoints == ["rest://10.0.0.9:8080"])
    }

    @Test func eachFindOnlyHonoursTheEventsOfItsOwnFlight() {
        var catalog = listedCatalog([instance("a", "10.0.0.1")])
        catalog.beginFind()
        catalog.apply(action: .update, instance: instance("a", "10.0.1.1"))
        catalog.applyFind(serviceIds: ["o1"], found: [instance("a", "10.0.0.1")])
        #expect(catalog.instances["o1"]?["a"]?.endpoints == ["rest://10.0.1.1:8080"])
        catalog.beginFind()
        catalog.applyFind(serviceIds: ["o1"], found: [instance("a", "10.0.3.1")])
        #expect(catalog.instances["o1"]?["a"]?.endpoints == ["rest://10.0.3.1:8080"])
    }
}
