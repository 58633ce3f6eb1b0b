import NIOConcurrencyHelpers

/// The active faults and the partition switch, consulted for every API request.
public final class FaultInjector: Sendable {
    private struct Entry {
        var fault: Fault
        var matched = 0
        var hits = 0
    }

    private struct State {
        var entries: [Entry] = []
        var partitioned = false
    }

    private let state = NIOLockedValueBox(State())

    init() {}

    /// Adds a fault; faults are checked in the order added and the first that hits wins.
    public func add(_ fault: Fault) {
        state.withLockedValue { $0.entries.append(Entry(fault: fault)) }
    }

    /// Removes every fault (the partition switch is left alone).
    public func clear() {
        state.withLockedValue { $0.entries.removeAll() }
    }

    /// The faults still active.
    public var faults: [Fault] {
        state.withLockedValue { $0.entries.map(\.fault) }
    }

    /// While partitioned every API request's connection is closed unanswered (admin paths keep working).
    public var isPartitioned: Bool {
        get { state.withLockedValue { $0.partitioned } }
        set { state.withLockedValue { $0.partitioned = newValue } }
    }

    /// Sets the partition switch.
    public func setPartitioned(_ partitioned: Bool) {
        state.withLockedValue { $0.partitioned = partitioned }
    }

    /// The action for a request, consuming one use of the fault that hits.
    func action(method: String, resource: String?, name: String?, isWatch: Bool, userAgent: String = "")
        -> Fault.Action?
    {
        state.withLockedValue { state in
            if state.partitioned { return .dropConnection }
            for index in state.entries.indices {
                let fault = state.entries[index].fault
                let match = fault.match
                guard match.methods.isEmpty || match.methods.contains(method),
                    match.resources.isEmpty || resource.map(match.resources.contains) == true,
                    match.names.isEmpty || name.map(match.names.contains) == true,
                    match.watch == nil || match.watch == isWatch,
                    match.userAgentContains.isEmpty || userAgent.contains(match.userAgentContains)
                else { continue }
                // Deterministic spreading: hit when the running share crosses the next whole request.
                let seen = state.entries[index].matched
                state.entries[index].matched += 1
                let hit =
                    (Double(seen + 1) * fault.fraction).rounded(.down) > (Double(seen) * fault.fraction).rounded(.down)
                guard hit else { continue }
                state.entries[index].hits += 1
                if let count = fault.count, state.entries[index].hits >= count {
                    state.entries.remove(at: index)
                }
                return fault.action
            }
            return nil
        }
    }
}
