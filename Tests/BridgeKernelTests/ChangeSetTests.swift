import BridgeKernel
import Testing

@Suite struct ChangeSetTests {
    let orders = ServiceKey(source: "sc", app: "shop", name: "orders")

    @Test func laterChangeToAServiceReplacesTheEarlierOne() {
        var changes = ChangeSet()
        changes.add(SourceUpdate(source: "sc", change: .upsert(Service(key: orders))))
        changes.add(SourceUpdate(source: "sc", change: .remove(orders)))
        #expect(changes.services.count == 1)
        #expect(changes.services[orders] == .some(nil))
        #expect(changes.updateCount == 2)
    }

    @Test func snapshotDiscardsEarlierChangesOfThatSourceOnly() {
        let other = ServiceKey(source: "eureka", app: "shop", name: "orders")
        var changes = ChangeSet()
        changes.add(SourceUpdate(source: "sc", change: .upsert(Service(key: orders))))
        changes.add(SourceUpdate(source: "eureka", change: .upsert(Service(key: other))))
        changes.add(SourceUpdate(source: "sc", change: .snapshot([])))
        #expect(changes.services.keys.elementsEqual([other]))
        #expect(changes.snapshots["sc"] == [])
    }

    @Test func keysAreRestampedWithTheReportingSource() {
        var changes = ChangeSet()
        let foreign = ServiceKey(source: "someone-else", app: "shop", name: "orders")
        changes.add(SourceUpdate(source: "sc", change: .upsert(Service(key: foreign))))
        #expect(changes.services.keys.first?.source == "sc")
    }

    @Test func appendMergesInOrder() {
        var first = ChangeSet()
        first.add(SourceUpdate(source: "sc", change: .upsert(Service(key: orders))))
        var second = ChangeSet()
        second.add(SourceUpdate(source: "sc", change: .remove(orders)))
        second.add(SourceUpdate(source: "sc", change: .health(.unhealthy(reason: "down"))))
        first.append(second)
        #expect(first.services[orders] == .some(nil))
        #expect(first.health["sc"] == .unhealthy(reason: "down"))
        #expect(first.updateCount == 3)
    }

    @Test func eachChangeIsHeldUnderItsServiceOrItsSource() {
        var changes = ChangeSet()
        #expect(changes.add(SourceUpdate(source: "sc", change: .upsert(Service(key: orders)))) == .service(orders))
        #expect(changes.add(SourceUpdate(source: "sc", change: .health(.healthy))) == .source("sc"))
        #expect(changes.add(SourceUpdate(source: "sc", change: .remove(orders))) == .service(orders))
        #expect(changes.add(SourceUpdate(source: "sc", change: .snapshot([]))) == .source("sc"))
        // After a snapshot, the source's changes wait with it.
        #expect(changes.add(SourceUpdate(source: "sc", change: .upsert(Service(key: orders)))) == .source("sc"))
    }

    @Test func extractTakesOnlyTheGivenKeysWithTheirCounts() {
        let payments = ServiceKey(source: "sc", app: "shop", name: "payments")
        var changes = ChangeSet()
        changes.add(SourceUpdate(source: "sc", change: .upsert(Service(key: orders))))
        changes.add(SourceUpdate(source: "sc", change: .upsert(Service(key: payments))))
        changes.add(SourceUpdate(source: "sc", change: .remove(orders)))
        let taken = changes.extract([.service(orders), .service(ServiceKey(source: "sc", app: "x", name: "absent"))])
        #expect(taken.services.keys.elementsEqual([orders]))
        #expect(taken.services[orders] == .some(nil))
        #expect(taken.updateCount == 2)
        #expect(taken.updatesBySource == ["sc": 2])
        #expect(changes.services.keys.elementsEqual([payments]))
        #expect(changes.updateCount == 1)
        #expect(changes.updatesBySource == ["sc": 1])
        let rest = changes.extract([.service(payments)])
        #expect(rest.updateCount == 1)
        #expect(changes.isEmpty)
        #expect(changes.updatesBySource.isEmpty)
    }

    @Test func extractingASourceTakesItsSnapshotTheChangesAfterItAndItsHealth() {
        let other = ServiceKey(source: "eureka", app: "shop", name: "orders")
        var changes = ChangeSet()
        changes.add(SourceUpdate(source: "sc", change: .upsert(Service(key: orders))))
        changes.add(SourceUpdate(source: "eureka", change: .upsert(Service(key: other))))
        changes.add(SourceUpdate(source: "sc", change: .snapshot([])))
        changes.add(SourceUpdate(source: "sc", change: .upsert(Service(key: orders))))
        changes.add(SourceUpdate(source: "sc", change: .health(.healthy)))
        let taken = changes.extract([.source("sc")])
        #expect(taken.snapshots["sc"] == [])
        #expect(taken.services.keys.elementsEqual([orders]))
        #expect(taken.health["sc"] == .healthy)
        #expect(taken.updateCount == 4)
        #expect(changes.services.keys.elementsEqual([other]))
        #expect(changes.updateCount == 1)
        #expect(changes.snapshots.isEmpty && changes.health.isEmpty)
    }

    @Test func extractingHealthAloneLeavesTheSourcesServiceChanges() {
        var changes = ChangeSet()
        changes.add(SourceUpdate(source: "sc", change: .upsert(Service(key: orders))))
        changes.add(SourceUpdate(source: "sc", change: .health(.unhealthy(reason: "down"))))
        let taken = changes.extract([.source("sc")])
        #expect(taken.health["sc"] == .unhealthy(reason: "down"))
        #expect(taken.services.isEmpty)
        #expect(changes.services.keys.elementsEqual([orders]))
    }
}
