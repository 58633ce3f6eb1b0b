/// What a pending change is debounced under.
///
/// Each service has a quiet period of its own, so a busy service never holds back a quiet one. A source's
/// snapshot is one key for the whole source, and every later change from that source joins it until it is pushed:
/// pushing a service change before the snapshot that precedes it would let the snapshot undo it.
public enum ChangeKey: Hashable, Sendable {
    /// One service's latest state.
    case service(ServiceKey)
    /// A source's snapshot (with the changes that followed it) or its health.
    case source(String)

    /// The source the change came from.
    public var source: String {
        switch self {
        case .service(let key): return key.source
        case .source(let name): return name
        }
    }
}
