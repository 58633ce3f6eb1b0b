import DequeModule
import Foundation
import NIOConcurrencyHelpers

/// An instance event as the simulator published it: what happened, to which provider, and which watching consumers
/// it was addressed to (the consumers that depend on the provider, whether or not a socket was open).
public struct PublishedEvent: Sendable, Hashable {
    /// Publication order, starting at 1.
    public var sequence: Int
    /// Simulator clock time of publication.
    public var date: Date
    /// The tenant of the provider.
    public var tenant: Tenant
    /// The event, exactly as framed on the watch socket.
    public var event: WatchEvent
    /// Consumer service ids the event was addressed to.
    public var consumerIds: [String]
    /// How many open watch sockets received it.
    public var deliveredSockets: Int
}

/// Routes instance events to the watch sockets of the consumers that depend on the provider and keeps a log of
/// everything published.
final class EventHub: Sendable {
    /// One open watch socket's subscription.
    final class Subscription: Sendable {
        let tenant: Tenant
        let consumerId: String
        let queue: WatchEventQueue

        init(tenant: Tenant, consumerId: String, capacity: Int) {
            self.tenant = tenant
            self.consumerId = consumerId
            self.queue = WatchEventQueue(capacity: capacity)
        }
    }

    private struct State {
        var subscriptions: [ObjectIdentifier: Subscription] = [:]
        /// The latest `logLimit` events; a deque, because dropping the oldest from an array moved the whole log on
        /// every publish once it was full (the simulator then took only ~180 changes a second).
        var log: Deque<PublishedEvent> = []
        var sequence = 0
        var droppedByOverflow = 0
    }

    private let state = NIOLockedValueBox(State())
    private let queueCapacity: Int
    private let logLimit: Int

    init(queueCapacity: Int, logLimit: Int = 100_000) {
        self.queueCapacity = queueCapacity
        self.logLimit = logLimit
    }

    func subscribe(tenant: Tenant, consumerId: String) -> Subscription {
        let subscription = Subscription(tenant: tenant, consumerId: consumerId, capacity: queueCapacity)
        state.withLockedValue { $0.subscriptions[ObjectIdentifier(subscription)] = subscription }
        return subscription
    }

    func unsubscribe(_ subscription: Subscription) {
        state.withLockedValue { _ = $0.subscriptions.removeValue(forKey: ObjectIdentifier(subscription)) }
        subscription.queue.finish()
    }

    /// Logs `event` and enqueues it on every socket of the given consumers in `tenant`.
    func publish(_ event: WatchEvent, tenant: Tenant, consumerIds: [String], date: Date) {
        let targets = Set(consumerIds)
        state.withLockedValue { state in
            let receivers = state.subscriptions.values.filter { $0.tenant == tenant && targets.contains($0.consumerId) }
            for receiver in receivers {
                state.droppedByOverflow += receiver.queue.push(event)
            }
            state.sequence += 1
            state.log.append(
                PublishedEvent(
                    sequence: state.sequence,
                    date: date,
                    tenant: tenant,
                    event: event,
                    consumerIds: consumerIds.sorted(),
                    deliveredSockets: receivers.count
                )
            )
            if state.log.count > logLimit { state.log.removeFirst(state.log.count - logLimit) }
        }
    }

    var publishedEvents: [PublishedEvent] { state.withLockedValue { Array($0.log) } }

    var subscriptionCount: Int { state.withLockedValue { $0.subscriptions.count } }

    /// Events discarded by the queue overflow rule across all sockets.
    var droppedByOverflow: Int { state.withLockedValue { $0.droppedByOverflow } }

    func clearLog() {
        state.withLockedValue { $0.log.removeAll() }
    }
}
