/// Lets one convergence (a push or a drift repair) run at a time inside the sink actor, whose methods
/// otherwise interleave at every `await`; waiters go in arrival order.
struct ConvergenceGate {
    private var busy = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    /// Whether the caller may go now; otherwise it must ``enqueue(_:)`` and wait.
    mutating func tryEnter() -> Bool {
        guard !busy else { return false }
        busy = true
        return true
    }

    /// Queues a waiter, resumed by a later ``leave()``.
    mutating func enqueue(_ waiter: CheckedContinuation<Void, Never>) {
        waiters.append(waiter)
    }

    /// Hands the gate to the next waiter, or opens it.
    mutating func leave() {
        if waiters.isEmpty {
            busy = false
        } else {
            waiters.removeFirst().resume()
        }
    }
}
