/// What the pipeline knows about one source.
public struct SourceStatus: Hashable, Sendable {
    /// Whether the source has delivered a complete listing.
    public var synced: Bool
    /// The source's last reported health.
    public var health: SourceHealth

    /// Creates a status; sources start unsynced and healthy.
    public init(synced: Bool = false, health: SourceHealth = .healthy) {
        self.synced = synced
        self.health = health
    }
}
