import BridgeKernel

/// One event of a Kubernetes watch stream (`{"type":…,"object":…}`).
public struct WatchEvent: Sendable, Hashable {
    /// The event type.
    public enum Kind: String, Sendable, Hashable {
        /// An object appeared (or started matching the selector).
        case added = "ADDED"
        /// An object changed.
        case modified = "MODIFIED"
        /// An object was deleted (or stopped matching); the object carries the deletion resourceVersion.
        case deleted = "DELETED"
        /// A progress marker carrying only a resourceVersion.
        case bookmark = "BOOKMARK"
        /// The server ended the watch with a `Status` (410 Expired means: list again).
        case error = "ERROR"
    }

    /// The event type.
    public var kind: Kind
    /// The object (or the `Status` of an error).
    public var object: JSONValue

    /// Creates an event.
    public init(kind: Kind, object: JSONValue) {
        self.kind = kind
        self.object = object
    }

    /// `metadata.resourceVersion` of the object.
    public var resourceVersion: String? { object["metadata"]?["resourceVersion"]?.stringValue }
}
