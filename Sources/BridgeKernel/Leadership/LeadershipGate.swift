import Synchronization

/// Whether this replica may write. Sinks only write while the gate says *leading*; a leader election flips it,
/// and a bridge without leader election leads from the start.
///
/// Waiting is cancellation-aware, so a push can race "leadership lost" and be cancelled the moment it happens
/// (fencing).
public final class LeadershipGate: Sendable {
    private struct Waiter {
        let id: Int
        let leading: Bool
        let continuation: CheckedContinuation<Void, Never>
    }

    private struct State {
        var leading: Bool
        var waiters: [Waiter] = []
        var nextID = 0
    }

    private let state: Mutex<State>

    /// Creates a gate.
    public init(leading: Bool = true) {
        state = Mutex(State(leading: leading))
    }

    /// Whether this replica leads now.
    public var isLeading: Bool { state.withLock { $0.leading } }

    /// Changes the state and wakes the waiters for it.
    public func set(_ leading: Bool) {
        let ready = state.withLock { state -> [Waiter] in
            state.leading = leading
            let ready = state.waiters.filter { $0.leading == leading }
            state.waiters.removeAll { $0.leading == leading }
            return ready
        }
        for waiter in ready { waiter.continuation.resume() }
    }

    /// Returns once the gate is in the `leading` state (at once if it is), or when the task is cancelled.
    public func wait(until leading: Bool) async {
        let id = state.withLock { state -> Int in
            state.nextID += 1
            return state.nextID
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { state -> Bool in
                    if state.leading == leading || Task.isCancelled { return true }
                    state.waiters.append(Waiter(id: id, leading: leading, continuation: continuation))
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let waiter = state.withLock { state -> Waiter? in
                guard let index = state.waiters.firstIndex(where: { $0.id == id }) else { return nil }
                return state.waiters.remove(at: index)
            }
            waiter?.continuation.resume()
        }
    }
}
