import BridgeKernel
import Foundation
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

    /// Records the previous render each render was given, as (service name, previous instance count).
    final class PreviousRecordingRenderer: ServiceRenderer, @unchecked Sendable {
        private let lock = NSLock()
        private var seen: [(String, Int?)] = []
        var calls: [(String, Int?)] { lock.withLock { seen } }

        func render(_ service: Service) -> RenderResult {
            lock.withLock { seen.append((service.key.name, nil)) }
            return NameRenderer().render(service)
        }

        func render(_ service: Service, after previous: PreviousRender) -> RenderResult {
            lock.withLock { seen.append((service.key.name, previous.instances.count)) }
            return NameRenderer().render(service)
        }
    }

    @Test func aServiceRenderedBeforeIsRenderedWithItsPreviousInputAndGroup() {
        var registry = RegistryState(sourceNames: ["sc"])
        let renderer = PreviousRecordingRenderer()
        var builder = DesiredStateBuilder(transforms: [], renderer: renderer, maximumConcurrency: 1)
        var touched: Set<ServiceKey>
        touched = registry.apply(snapshot([service("a", instances: 1)]))
        _ = builder.update(registry: registry, changed: touched)
        touched = registry.apply(snapshot([service("a", instances: 2)]))
        _ = builder.update(registry: registry, changed: touched)
        // Gone and back: nothing to reuse from before it left.
        touched = registry.apply(snapshot([]))
        _ = builder.update(registry: registry, changed: touched)
        touched = registry.apply(snapshot([service("a", instances: 3)]))
        _ = builder.update(registry: registry, changed: touched)
        let calls = renderer.calls
        #expect(calls.map(\.0) == ["a", "a", "a"])
        #expect(calls.map(\.1) == [nil, 1, nil])
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

@Suite struct DesiredStateBuilderConcurrencyTests {
    /// Reports a diagnostic for every service and maps names to a few hundred group ids, so many services clash.
    struct ClashingRenderer: ServiceRenderer {
        func render(_ service: Service) -> RenderResult {
            let number = Int(service.key.name.dropFirst("service-".count))!
            let id = "group-\(number % 700)"
            let object = ManifestObject(
                apiVersion: "v1", kind: "ServiceEntry", namespace: "ns", name: id,
                document: ["service": .string(service.key.name), "instances": .int(Int64(service.instances.count))])
            let diagnostic = Diagnostic(.warning, service: service.key, "rendered \(service.key.name)")
            return RenderResult(
                group: number % 11 == 0 ? nil : ObjectGroup(id: id, service: service.key, objects: [object]),
                diagnostics: [diagnostic])
        }
    }

    func registry(count: Int, instances: Int) -> (RegistryState, Set<ServiceKey>) {
        var registry = RegistryState(sourceNames: ["sc"])
        var changes = ChangeSet()
        let services = (0..<count).map { index in
            Service(
                key: ServiceKey(source: "sc", app: "app-\(index % 7)", name: "service-\(index)"),
                instances: (0..<(index % 3 + instances)).map { Instance(id: "\($0)", endpoints: []) })
        }
        changes.add(SourceUpdate(source: "sc", change: .snapshot(services)))
        let touched = registry.apply(changes)
        return (registry, touched)
    }

    @Test func renderingOnSeveralThreadsGivesTheSameStateAndDiagnosticsAsOne() {
        let transforms: [any ServiceTransform] = [ServiceFilter(exclude: .init(services: ["service-5*"]))]
        var serial = DesiredStateBuilder(transforms: transforms, renderer: ClashingRenderer(), maximumConcurrency: 1)
        var parallel = DesiredStateBuilder(transforms: transforms, renderer: ClashingRenderer(), maximumConcurrency: 4)
        for instances in [1, 2] {
            let (registry, touched) = registry(count: 2_000, instances: instances)
            let (serialState, serialDiagnostics) = serial.update(registry: registry, changed: touched)
            let (parallelState, parallelDiagnostics) = parallel.update(registry: registry, changed: touched)
            #expect(serialState.groups == parallelState.groups)
            #expect(serialState.changed == parallelState.changed)
            #expect(serialState.removed == parallelState.removed)
            #expect(serialDiagnostics == parallelDiagnostics)
            #expect(serialDiagnostics.count > 1_000)
            #expect(parallelState.groups.count > 600)
        }
    }
}
