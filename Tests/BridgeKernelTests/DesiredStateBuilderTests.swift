import BridgeKernel
import Testing

@Suite struct DesiredStateBuilderTests {
    /// Renders a service to a group named by a fixed function of its name, to provoke clashes on purpose.
    struct NameRenderer: ServiceRenderer {
        func render(_ service: Service) -> RenderResult {
            let id = service.key.name.lowercased()
            let object = ManifestObject(
                apiVersion: "v1", kind: "ServiceEntry", namespace: "ns", name: id,
                document: ["instances": .int(Int64(service.instances.count)), "app": .string(service.key.app)])
            return RenderResult(group: ObjectGroup(id: id, service: service.key, objects: [object]))
        }
    }

    func snapshot(_ services: [Service], source: String = "sc") -> ChangeSet {
        var changes = ChangeSet()
        changes.add(SourceUpdate(source: source, change: .snapshot(services)))
        return changes
    }

    func service(_ name: String, app: String = "shop", instances: Int = 1) -> Service {
        Service(
            key: ServiceKey(source: "sc", app: app, name: name),
            instances: (0..<instances).map { Instance(id: "\($0)", endpoints: []) })
    }

    @Test func onlyChangedServicesAreReportedAsChanged() {
        var registry = RegistryState(sourceNames: ["sc"])
        var builder = DesiredStateBuilder(transforms: [], renderer: NameRenderer())
        var touched = registry.apply(snapshot([service("a"), service("b")]))
        var (state, _) = builder.update(registry: registry, changed: touched)
        #expect(state.changed == ["a", "b"])
        #expect(state.pruneAllowed)

        touched = registry.apply(snapshot([service("a", instances: 2), service("b")]))
        (state, _) = builder.update(registry: registry, changed: touched)
        #expect(state.changed == ["a"])
        #expect(state.groups.count == 2)
        #expect(state.revision == 2)

        touched = registry.apply(snapshot([service("b")]))
        (state, _) = builder.update(registry: registry, changed: touched)
        #expect(state.removed == ["a"])
        #expect(Array(state.groups.keys) == ["b"])
    }

    @Test func clashingGroupIdsKeepTheSmallerKeyAndReportTheOther() {
        var registry = RegistryState(sourceNames: ["sc"])
        var builder = DesiredStateBuilder(transforms: [], renderer: NameRenderer())
        let touched = registry.apply(snapshot([service("Orders", app: "b"), service("orders", app: "a")]))
        let (state, diagnostics) = builder.update(registry: registry, changed: touched)
        #expect(state.groups["orders"]?.service.app == "a")
        #expect(diagnostics.count == 1)
        #expect(diagnostics.first?.service.app == "b")
    }

    @Test func transformsCanDropServices() {
        var registry = RegistryState(sourceNames: ["sc"])
        var builder = DesiredStateBuilder(
            transforms: [ServiceFilter(exclude: .init(services: ["b"]))], renderer: NameRenderer())
        let touched = registry.apply(snapshot([service("a"), service("b")]))
        let (state, _) = builder.update(registry: registry, changed: touched)
        #expect(Array(state.groups.keys) == ["a"])
    }
}
