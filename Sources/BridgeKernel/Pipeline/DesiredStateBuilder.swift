import Foundation

/// Turns registry changes into the next ``DesiredState``, re-rendering only the services that changed.
///
/// When two services render to the same group id (which the Istio mapping's naming rules prevent, but a custom
/// renderer or host template might not), the service with the smaller key wins deterministically and the other
/// is reported.
///
/// Large batches (a full sync) are transformed and rendered on several cores at once — the transforms and the
/// renderer are pure and `Sendable` — and merged in key order, so the result and the order of the diagnostics
/// do not depend on scheduling.
public struct DesiredStateBuilder: Sendable {
    private let transforms: [any ServiceTransform]
    private let renderer: any ServiceRenderer
    private var rendered: [ServiceKey: ObjectGroup] = [:]
    private var claimants: [String: Set<ServiceKey>] = [:]
    private var groups: [String: ObjectGroup] = [:]
    private var revision = 0

    /// How many threads may render at once; 1 renders on the calling thread only.
    public var maximumConcurrency: Int

    /// Services one thread renders before taking more: big enough to make scheduling cheap, small enough to
    /// balance services of very different sizes.
    static let renderChunkSize = 64

    /// Creates a builder with the transform chain and the renderer; large batches render on up to
    /// `maximumConcurrency` threads (by default one per active core).
    public init(
        transforms: [any ServiceTransform], renderer: any ServiceRenderer,
        maximumConcurrency: Int = ProcessInfo.processInfo.activeProcessorCount
    ) {
        self.transforms = transforms
        self.renderer = renderer
        self.maximumConcurrency = max(1, maximumConcurrency)
    }

    /// Re-renders the `changed` services from `registry` and returns the new desired state with the diagnostics
    /// found on the way.
    public mutating func update(registry: RegistryState, changed: Set<ServiceKey>) -> (DesiredState, [Diagnostic]) {
        let keys = changed.sorted()
        let services = registry.services
        let transforms = transforms
        let renderer = renderer
        let results = keys.concurrentMap(maximumConcurrency: maximumConcurrency, chunkSize: Self.renderChunkSize) {
            key -> RenderResult? in
            guard let service = services[key], let transformed = Self.transformed(service, by: transforms) else {
                return nil
            }
            return renderer.render(transformed)
        }

        var diagnostics: [Diagnostic] = []
        var touchedIDs = Set<String>()
        for (key, result) in zip(keys, results) {
            if let old = rendered.removeValue(forKey: key) {
                touchedIDs.insert(old.id)
                claimants[old.id]?.remove(key)
            }
            guard let result else { continue }
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

    private static func transformed(_ service: Service, by transforms: [any ServiceTransform]) -> Service? {
        var current = service
        for transform in transforms {
            guard let next = transform.apply(to: current) else { return nil }
            current = next
        }
        return current
    }
}
