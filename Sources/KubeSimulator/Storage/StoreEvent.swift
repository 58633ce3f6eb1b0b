import BridgeKernel

/// A change recorded by the store, replayed to watches.
public struct StoreEvent: Sendable {
    /// `ADDED`, `MODIFIED` or `DELETED`.
    public enum Kind: String, Sendable {
        case added = "ADDED"
        case modified = "MODIFIED"
        case deleted = "DELETED"
    }

    /// The change.
    public var kind: Kind
    /// The key of the object.
    public var key: ObjectKey
    /// The object after the change (for `DELETED`: its last state with the deletion revision).
    public var object: JSONValue
    /// The object before the change (`nil` for `ADDED`); watches with selectors need it.
    public var previous: JSONValue?
    /// The revision of the change.
    public var revision: Int64
}
