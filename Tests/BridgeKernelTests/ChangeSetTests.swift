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
}
