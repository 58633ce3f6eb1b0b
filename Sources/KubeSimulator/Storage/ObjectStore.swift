import BridgeKernel
import DequeModule
import NIOConcurrencyHelpers

/// The simulator's etcd: objects keyed by ``ObjectKey`` in their storage version, one global revision counter
/// that every write increments, a bounded history of changes for watches, and the open watches.
///
/// All operations are atomic: a mutation's decision (precondition checks, validation) runs under the store's
/// lock, so two racing compare-and-swap writes can never both succeed.
public final class ObjectStore: Sendable {
    /// The result of a mutation closure.
    enum Change {
        /// Store this object (create or update).
        case put(JSONValue)
        /// Remove the object; the value is its final state.
        case delete(JSONValue)
        /// Nothing changes; the value is what the client gets back.
        case none(JSONValue)
    }

    /// What a mutation did.
    enum Outcome {
        case created(JSONValue)
        case updated(JSONValue)
        case deleted(JSONValue)
        case unchanged(JSONValue)

        /// The object the client sees.
        var object: JSONValue {
            switch self {
            case .created(let object), .updated(let object), .deleted(let object), .unchanged(let object): return object
            }
        }
    }

    /// A watch could not start at the requested revision.
    enum WatchStartError: Error {
        /// Events after the revision are no longer in the history (410).
        case tooOld(requested: Int64, oldest: Int64)
        /// The revision is in the future (504).
        case tooLarge(requested: Int64, current: Int64)
    }

    /// What a watch receives from the store: changes, and bookmark requests ordered after them.
    enum WatchSignal: Sendable {
        case change(StoreEvent)
        case bookmark(revision: Int64)
    }

    private struct Watcher {
        var group: String
        var resource: String
        var namespace: String?
        var continuation: AsyncStream<WatchSignal>.Continuation
    }

    private struct State {
        var objects: [ObjectKey: JSONValue] = [:]
        var revision: Int64 = 1
        /// A deque: dropping the oldest event on every write must not move the whole history.
        var history: Deque<StoreEvent> = []
        var compactedRevision: Int64 = 0
        var watchers: [Int: Watcher] = [:]
        var nextWatcherID = 0
        var historyLimit: Int
    }

    private let state: NIOLockedValueBox<State>

    /// Creates an empty store keeping at most `historyLimit` events for watches.
    init(historyLimit: Int) {
        state = NIOLockedValueBox(State(historyLimit: max(1, historyLimit)))
    }

    /// The current revision (the `resourceVersion` of the latest write).
    public var revision: Int64 {
        state.withLockedValue { $0.revision }
    }

    /// The revision below which watches get 410 Expired.
    public var compactedRevision: Int64 {
        state.withLockedValue { $0.compactedRevision }
    }

    /// The stored object (in its storage version), if any.
    public func object(_ key: ObjectKey) -> JSONValue? {
        state.withLockedValue { $0.objects[key] }
    }

    /// All keys of a type, optionally in one namespace, sorted by namespace and name.
    public func keys(group: String, resource: String, namespace: String? = nil) -> [ObjectKey] {
        state.withLockedValue { state in
            Self.matchingKeys(state, group: group, resource: resource, namespace: namespace)
        }
    }

    /// A consistent snapshot of a type's objects (sorted by namespace and name) and the current revision.
    func list(group: String, resource: String, namespace: String?) -> (objects: [JSONValue], revision: Int64) {
        state.withLockedValue { state in
            let keys = Self.matchingKeys(state, group: group, resource: resource, namespace: namespace)
            return (keys.map { state.objects[$0]! }, state.revision)
        }
    }

    private static func matchingKeys(_ state: State, group: String, resource: String, namespace: String?) -> [ObjectKey]
    {
        state.objects.keys.filter {
            $0.group == group && $0.resource == resource && (namespace == nil || $0.namespace == namespace)
        }.sorted { ($0.namespace, $0.name) < ($1.namespace, $1.name) }
    }

    /// Drops the whole watch history: afterwards a watch from any revision older than the current one gets
    /// 410 Expired (like etcd compaction).
    public func compactHistory() {
        state.withLockedValue { state in
            state.history.removeAll()
            state.compactedRevision = state.revision
        }
    }

    /// Runs `decide` on the current object under the lock and applies its decision, assigning the next
    /// revision. With `dryRun` nothing is stored and no event is emitted.
    func mutate(
        _ key: ObjectKey, dryRun: Bool = false, _ decide: (JSONValue?) throws(APIError) -> Change
    ) throws(APIError) -> Outcome {
        let result: Result<Outcome, APIError> = state.withLockedValue { state in
            let current = state.objects[key]
            let change: Change
            do throws(APIError) {
                change = try decide(current)
            } catch {
                return .failure(error)
            }
            switch change {
            case .none(let object):
                return .success(.unchanged(object))
            case .put(var object):
                if dryRun { return .success(current == nil ? .created(object) : .updated(object)) }
                state.revision += 1
                object = Self.settingRevision(object, state.revision)
                state.objects[key] = object
                let event = StoreEvent(
                    kind: current == nil ? .added : .modified, key: key, object: object, previous: current,
                    revision: state.revision)
                Self.record(event, in: &state)
                return .success(current == nil ? .created(object) : .updated(object))
            case .delete(var object):
                if dryRun { return .success(.deleted(object)) }
                state.revision += 1
                object = Self.settingRevision(object, state.revision)
                state.objects[key] = nil
                Self.record(
                    StoreEvent(kind: .deleted, key: key, object: object, previous: current, revision: state.revision),
                    in: &state)
                return .success(.deleted(object))
            }
        }
        return try result.get()
    }

    /// Deletes every object in `namespace` (namespace deletion).
    func deleteAll(inNamespace namespace: String) {
        state.withLockedValue { state in
            for key in state.objects.keys.filter({ $0.namespace == namespace }).sorted(by: {
                $0.description < $1.description
            }) {
                let current = state.objects[key]!
                state.revision += 1
                state.objects[key] = nil
                Self.record(
                    StoreEvent(
                        kind: .deleted, key: key, object: Self.settingRevision(current, state.revision),
                        previous: current, revision: state.revision),
                    in: &state)
            }
        }
    }

    /// Starts a watch on a type. With `from == nil` the initial events are synthetic `ADDED`s for every current
    /// object; otherwise they are the recorded changes after `from`. Both come first on the returned stream,
    /// then every later change.
    func watch(
        group: String, resource: String, namespace: String?, from: Int64?
    ) throws(WatchStartError) -> (id: Int, signals: AsyncStream<WatchSignal>) {
        let (stream, continuation) = AsyncStream<WatchSignal>.makeStream(bufferingPolicy: .unbounded)
        let started: Result<Int, WatchStartError> = state.withLockedValue { state in
            let initial: [StoreEvent]
            if let from {
                if from > state.revision { return .failure(.tooLarge(requested: from, current: state.revision)) }
                if from < state.compactedRevision {
                    return .failure(.tooOld(requested: from, oldest: state.compactedRevision))
                }
                initial = state.history.filter {
                    $0.revision > from && $0.key.group == group && $0.key.resource == resource
                        && (namespace == nil || $0.key.namespace == namespace)
                }
            } else {
                initial = Self.matchingKeys(state, group: group, resource: resource, namespace: namespace).map { key in
                    let object = state.objects[key]!
                    let revision = Int64(object["metadata"]?["resourceVersion"]?.stringValue ?? "") ?? state.revision
                    return StoreEvent(kind: .added, key: key, object: object, previous: nil, revision: revision)
                }
            }
            for event in initial { continuation.yield(.change(event)) }
            let id = state.nextWatcherID
            state.nextWatcherID += 1
            state.watchers[id] = Watcher(
                group: group, resource: resource, namespace: namespace, continuation: continuation)
            return .success(id)
        }
        let id = try started.get()
        // Not under the store lock from here: a cancelled watch runs this while its task's status is locked, and
        // a write yields to the watch (which takes that task's status lock) while holding the store lock. Taking
        // the store lock here deadlocked both. A finished stream ignores what is still yielded to it meanwhile.
        continuation.onTermination = { [weak self] _ in
            Task { self?.state.withLockedValue { _ = $0.watchers.removeValue(forKey: id) } }
        }
        return (id, stream)
    }

    /// Sends a bookmark at the current revision to one watch (`id`) or to all (`nil`); it is ordered after every
    /// change already delivered.
    func bookmark(watch id: Int?) {
        state.withLockedValue { state in
            for (watcherID, watcher) in state.watchers where id == nil || watcherID == id {
                watcher.continuation.yield(.bookmark(revision: state.revision))
            }
        }
    }

    /// The number of open watches (for tests that wait for a client to start watching).
    public var openWatchCount: Int {
        state.withLockedValue { $0.watchers.count }
    }

    /// Ends every open watch stream.
    func closeAllWatches() {
        let continuations = state.withLockedValue { state in
            let all = state.watchers.values.map(\.continuation)
            state.watchers.removeAll()
            return all
        }
        for continuation in continuations { continuation.finish() }
    }

    private static func record(_ event: StoreEvent, in state: inout State) {
        state.history.append(event)
        if state.history.count > state.historyLimit {
            let dropCount = state.history.count - state.historyLimit
            state.compactedRevision = state.history[dropCount - 1].revision
            state.history.removeFirst(dropCount)
        }
        for watcher in state.watchers.values
        where watcher.group == event.key.group && watcher.resource == event.key.resource
            && (watcher.namespace == nil || watcher.namespace == event.key.namespace)
        {
            watcher.continuation.yield(.change(event))
        }
    }

    private static func settingRevision(_ object: JSONValue, _ revision: Int64) -> JSONValue {
        var object = object
        var metadata = object["metadata"]?.objectValue ?? [:]
        metadata["resourceVersion"] = .string(String(revision))
        object["metadata"] = .object(metadata)
        return object
    }
}
