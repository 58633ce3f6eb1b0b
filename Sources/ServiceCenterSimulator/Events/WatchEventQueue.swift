import DequeModule
import NIOConcurrencyHelpers

/// The per-subscriber event queue of a watch socket, with Service Center's overflow quirk
/// (`server/event/instance_subscriber.go`): it holds `capacity` events; when a new event finds it full, every queued
/// event is dropped and only the new one is kept.
final class WatchEventQueue: Sendable {
    private struct State {
        var buffer: Deque<WatchEvent> = []
        var waiter: CheckedContinuation<WatchEvent?, Never>?
        var finished = false
        var droppedEvents = 0
    }

    let capacity: Int
    private let state = NIOLockedValueBox(State())

    init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    /// Enqueues without blocking; returns how many queued events the overflow rule discarded (0 normally).
    @discardableResult
    func push(_ event: WatchEvent) -> Int {
        let (waiter, dropped): (CheckedContinuation<WatchEvent?, Never>?, Int) = state.withLockedValue { state in
            guard !state.finished else { return (nil, 0) }
            if let waiter = state.waiter {
                // Like an unbuffered hand-off to a receiver already blocked on the Go channel.
                state.waiter = nil
                return (waiter, 0)
            }
            var dropped = 0
            if state.buffer.count >= capacity {
                dropped = state.buffer.count
                state.buffer.removeAll()
                state.droppedEvents += dropped
            }
            state.buffer.append(event)
            return (nil, dropped)
        }
        waiter?.resume(returning: event)
        return dropped
    }

    /// The next event, or `nil` once the queue is finished (or the waiting task is cancelled).
    func next() async -> WatchEvent? {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<WatchEvent?, Never>) in
                let immediate: WatchEvent?? = state.withLockedValue { state in
                    if let event = state.buffer.popFirst() { return .some(event) }
                    if state.finished || Task.isCancelled { return .some(nil) }
                    state.waiter = continuation
                    return .none
                }
                if let immediate { continuation.resume(returning: immediate) }
            }
        } onCancel: {
            finish()
        }
    }

    /// Ends the queue: pending and future `next()` calls return `nil`.
    func finish() {
        let waiter = state.withLockedValue { state -> CheckedContinuation<WatchEvent?, Never>? in
            state.finished = true
            state.buffer.removeAll()
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(returning: nil)
    }

    /// Events currently queued.
    var count: Int { state.withLockedValue { $0.buffer.count } }

    /// Events discarded by the overflow rule so far.
    var droppedEvents: Int { state.withLockedValue { $0.droppedEvents } }
}
