/// The `action` of a watch frame (cari `EVT_*`).
public enum InstanceEventAction: String, Sendable, Hashable {
    /// An instance was registered.
    case create = "CREATE"
    /// An instance was rewritten (status or properties changed).
    case update = "UPDATE"
    /// An instance was unregistered or its lease expired.
    case delete = "DELETE"
}
