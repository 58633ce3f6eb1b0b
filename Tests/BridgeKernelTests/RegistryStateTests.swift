import BridgeKernel
import Testing

@Suite struct RegistryStateTests {
    func service(_ name: String, source: String = "sc", instances: Int = 1) -> Service {
        Service(
            key: ServiceKey(source: source, app: "shop", name: name),
            instances: (0..<instances).map {
                Instance(id: "\(name)-\($0)", endpoints: [Endpoint(scheme: "rest", host: "10.0.0.1", port: 8080 + $0)])
            })
    }

    func changes(_ updates: [SourceUpdate]) -> ChangeSet {
        var set = ChangeSet()
        for update in updates { set.add(update) }
        return set
    }

    @Test func isCompleteOnlyAfterEverySourceSentASnapshotAndIsHealthy() {
        var state = RegistryState(sourceNames: ["sc", "static"])
        #expect(!state.isComplete)
        _ = state.apply(changes([SourceUpdate(source: "sc", change: .snapshot([service("a")]))]))
        #expect(!state.isComplete)
        _ = state.apply(changes([SourceUpdate(source: "static", change: .snapshot([]))]))
        #expect(state.isComplete)
        _ = state.apply(changes([SourceUpdate(source: "sc", change: .health(.unhealthy(reason: "timeout")))]))
        #expect(!state.isComplete)
        // An unhealthy source keeps its services.
        #expect(state.services.count == 1)
    }

    @Test func snapshotRemovesServicesTheSourceNoLongerHasAndKeepsOtherSources() {
        var state = RegistryState(sourceNames: ["sc", "static"])
        _ = state.apply(
            changes([
                SourceUpdate(source: "sc", change: .snapshot([service("a"), service("b")])),
                SourceUpdate(source: "static", change: .snapshot([service("db", source: "static")])),
            ]))
        let touched = state.apply(changes([SourceUpdate(source: "sc", change: .snapshot([service("a")]))]))
        #expect(touched == [ServiceKey(source: "sc", app: "shop", name: "b")])
        #expect(Set(state.services.keys.map(\.name)) == ["a", "db"])
    }

    @Test func unchangedServicesAreNotReportedAsTouched() {
        var state = RegistryState(sourceNames: ["sc"])
        _ = state.apply(changes([SourceUpdate(source: "sc", change: .snapshot([service("a")]))]))
        let touched = state.apply(changes([SourceUpdate(source: "sc", change: .upsert(service("a")))]))
        #expect(touched.isEmpty)
        let changed = state.apply(changes([SourceUpdate(source: "sc", change: .upsert(service("a", instances: 2)))]))
        #expect(changed.count == 1)
    }
}
