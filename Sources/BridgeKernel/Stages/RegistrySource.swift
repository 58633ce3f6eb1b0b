/// A source stage: reads one registry and reports its services.
///
/// A source first reports a ``SourceChange/snapshot(_:)`` of everything it sees, then changes as they happen,
/// and its health whenever that changes. It runs until its task is cancelled, then returns; it throws only for
/// errors it cannot recover from (an unreachable registry is not one: it reports itself unhealthy and retries).
public protocol RegistrySource: Sendable {
    /// The source's configured name, unique within a bridge; it becomes part of every ``ServiceKey`` it reports.
    var name: String { get }

    /// Runs the source, reporting through `output` until cancelled.
    func run(output: SourceOutput) async throws
}

/// Where a source reports its changes. Cheap to copy; safe to use from any task.
public struct SourceOutput: Sendable {
    private let sourceName: String
    private let deliver: @Sendable (SourceUpdate) -> Void

    /// Creates an output that tags every change with `source` and hands it to `deliver`.
    public init(source: String, deliver: @escaping @Sendable (SourceUpdate) -> Void) {
        self.sourceName = source
        self.deliver = deliver
    }

    /// Reports a change.
    public func send(_ change: SourceChange) {
        deliver(SourceUpdate(source: sourceName, change: change))
    }

    /// Reports the complete current state.
    public func snapshot(_ services: [Service]) { send(.snapshot(services)) }

    /// Reports one service's new state.
    public func upsert(_ service: Service) { send(.upsert(service)) }

    /// Reports that a service disappeared.
    public func remove(_ key: ServiceKey) { send(.remove(key)) }

    /// Reports the source's health.
    public func health(_ health: SourceHealth) { send(.health(health)) }
}
