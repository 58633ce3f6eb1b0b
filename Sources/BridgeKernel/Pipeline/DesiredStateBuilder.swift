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
    /// Each service's last render with the (transformed) instances it came from, so the next render of it can
    /// reuse objects.
    private var rendered: [ServiceKey: PreviousRender] = [:]
    private var claimants: [String: GroupClaim] = [:]
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
        // Rendered in a separate (non-mutating) function: the tables it reads must be released before `merge`
        // changes them, or the first change would copy each table.
        let results = render(keys, from: registry)
        return merge(keys: keys, results: results, registry: registry)
    }

    /// Transforms and renders the services, each with its previous render when there is one.
    private func render(_ keys: [ServiceKey], from registry: RegistryState) -> [(
        instances: [Instance], result: RenderResult
    )?] {
        let services = registry.services
        let transforms = transforms
        let renderer = renderer
        let rendered = rendered
        return keys.concurrentMap(maximumConcurrency: maximumConcurrency, chunkSize: Self.renderChunkSize) {
            key -> (instances: [Instance], result: RenderResult)? in
            guard let service = services[key], let transformed = Self.transformed(service, by: transforms) else {
                return nil
            }
            if let previous = rendered[key] {
                return (transformed.instances, renderer.render(transformed, after: previous))
            }
            return (transformed.instances, renderer.render(transformed))
        }
    }

    /// Records the renders and works out which groups changed.
    private mutating func merge(
        keys: [ServiceKey], results: [(instances: [Instance], result: RenderResult)?], registry: RegistryState
    ) -> (DesiredState, [Diagnostic]) {
        if rendered.isEmpty {
            // The first (full) sync: size the tables once instead of growing them step by step.
            rendered.reserveCapacity(keys.count)
            claimants.reserveCapacity(keys.count)
            groups.reserveCapacity(keys.count)
        }
        var diagnostics: [Diagnostic] = []
        var touchedIDs = Set<String>(minimumCapacity: keys.count)
        for (key, outcome) in zip(keys, results) {
            if let old = rendered.removeValue(forKey: key)?.group {
                touchedIDs.insert(old.id)
                claimants[old.id] = claimants[old.id]?.removing(key)
            }
            guard let (instances, result) = outcome else { continue }
            diagnostics += result.diagnostics
            if let group = result.group {
                rendered[key] = PreviousRender(instances: instances, group: group)
                claimants[group.id] = claimants[group.id]?.adding(key) ?? .one(key)
                touchedIDs.insert(group.id)
            }
        }

        var changedIDs = Set<String>()
        var removedIDs = Set<String>()
        // Clash reports are sorted by group id at the end, so the ids need not be sorted up front.
        var clashes: [(id: String, diagnostics: [Diagnostic])] = []
        for id in touchedIDs {
            guard let claim = claimants[id] else {
                if groups.removeValue(forKey: id) != nil { removedIDs.insert(id) }
                continue
            }
            let winner = claim.winner
            if case .several(let owners) = claim {
                clashes.append(
                    (
                        id,
                        owners.sorted().filter { $0 != winner }.map { loser in
                            Diagnostic(
                                .error, service: loser,
                                "renders to \"\(id)\", which service \(winner) already uses; not published until that clash is resolved"
                            )
                        }
                    ))
            }
            let group = rendered[winner]!.group
            if groups[id] != group {
                groups[id] = group
                changedIDs.insert(id)
            }
        }
        for clash in clashes.sorted(by: { $0.id < $1.id }) { diagnostics += clash.diagnostics }
        revision += 1
        let state = DesiredState(
            groups: groups, changed: changedIDs, removed: removedIDs, pruneAllowed: registry.isComplete,
            revision: revision)
        return (state, diagnostics)
    }

    /// The services rendering to one group id: nearly always exactly one, which needs no set (hashing a
    /// `ServiceKey` means hashing five strings).
    private enum GroupClaim: Sendable {
        case one(ServiceKey)
        case several(Set<ServiceKey>)

        /// The service that gets the group: the smallest key.
        var winner: ServiceKey {
            switch self {
            case .one(let key): return key
            case .several(let keys): return keys.min()!
            }
        }

        func adding(_ key: ServiceKey) -> GroupClaim {
            switch self {
            case .one(let existing): return existing == key ? self : .several([existing, key])
            case .several(var keys):
                keys.insert(key)
                return .several(keys)
            }
        }

        /// The claim without `key`, or `nil` when nobody is left.
        func removing(_ key: ServiceKey) -> GroupClaim? {
            switch self {
            case .one(let existing): return existing == key ? nil : self
            case .several(var keys):
                keys.remove(key)
                if keys.count == 1 { return .one(keys.first!) }
                return keys.isEmpty ? nil : .several(keys)
            }
        }
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
