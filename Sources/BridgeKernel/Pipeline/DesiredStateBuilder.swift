/// Turns registry changes into the next ``DesiredState``, re-rendering only the services that changed.
///
/// When two services render to the same group id (which the Istio mapping's naming rules prevent, but a custom
/// renderer or host template might not), the service with the smaller key wins deterministically and the other
/// is reported.
public struct DesiredStateBuilder: Sendable {
    private let transforms: [any ServiceTransform]
    private let renderer: any ServiceRenderer
    private var rendered: [ServiceKey: ObjectGroup] = [:]
    private var claimants: [String: Set<ServiceKey>] = [:]
    private var groups: [String: ObjectGroup] = [:]
    private var revision = 0

    /// Creates a builder with the transform chain and the renderer.
    public init(transforms: [any ServiceTransform], renderer: any ServiceRenderer) {
        self.transforms = transforms
        self.renderer = renderer
    }

    /// Re-renders the `changed` services from `registry` and returns the new desired state with the diagnostics
    /// found on the way.
    public mutating func update(registry: RegistryState, changed: Set<ServiceKey>) -> (DesiredState, [Diagnostic]) {
        var diagnostics: [Diagnostic] = []
        var touchedIDs = Set<String>()
        for key in changed.sorted() {
            if let old = rendered.removeValue(forKey: key) {
                touchedIDs.insert(old.id)
                claimants[old.id]?.remove(key)
            }
            guard let service = registry.services[key], let transformed = transformed(service) else { continue }
            let result = renderer.render(transformed)
            diagnostics += result.diagnostics
            if let group = result.group {
                rendered[key] = group
                claimants[group.id, default: []].insert(key)
                touchedIDs.insert(group.id)
            }
        }

        var changedIDs = Set<String>()
        var removedIDs = Set<String>()
        for id in touchedIDs.sorted() {
            let owners = claimants[id] ?? []
            guard let winner = owners.min() else {
                claimants[id] = nil
                if groups.removeValue(forKey: id) != nil { removedIDs.insert(id) }
                continue
            }
            for loser in owners.sorted() where loser != winner {
                diagnostics.append(
                    Diagnostic(
                        .error, service: loser,
                        "renders to \"\(id)\", which service \(winner) already uses; not published until that clash is resolved"
                    ))
            }
            let group = rendered[winner]!
            if groups[id] != group {
                groups[id] = group
                changedIDs.insert(id)
            }
        }
        revision += 1
        let state = DesiredState(
            groups: groups, changed: changedIDs, removed: removedIDs, pruneAllowed: registry.isComplete,
            revision: revision)
        return (state, diagnostics)
    }

    private func transformed(_ service: Service) -> Service? {
        var current = service
        for transform in transforms {
            guard let next = transform.apply(to: current) else { return nil }
            current = next
        }
        return current
    }
}
