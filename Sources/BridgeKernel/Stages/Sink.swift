/// A sink stage: makes some target (a directory, a cluster) hold exactly the desired objects.
public protocol Sink: Sendable {
    /// The sink's configured name.
    var name: String { get }

    /// Converges the target to `state`. Called with each push, in order, never concurrently.
    ///
    /// A sink creates and updates what is desired, and deletes objects it owns that are no longer desired only
    /// when ``DesiredState/pruneAllowed`` is true. A failure on one object must not stop the others; the report
    /// says what failed.
    func apply(_ state: DesiredState) async throws -> SinkReport

    /// Runs background work the sink needs between pushes (for example repairing drift), until cancelled.
    /// The default returns at once.
    func run() async throws
}

extension Sink {
    /// Nothing to do in the background.
    public func run() async throws {}
}

/// What one ``Sink/apply(_:)`` did.
public struct SinkReport: Hashable, Sendable, CustomStringConvertible {
    /// Objects (or files) created.
    public var created = 0
    /// Objects updated because their content changed.
    public var updated = 0
    /// Objects deleted because they are no longer desired.
    public var deleted = 0
    /// Objects already as desired.
    public var unchanged = 0
    /// Failures, one line each, naming the object and the reason. The pipeline pushes again after a failure.
    public var failures: [String] = []
    /// Objects the target refused for their content (an API server's 422, a clash with an object the bridge does
    /// not own), one line each. Not retried until the object's desired content changes.
    public var rejected: [String] = []
    /// Whether this was a dry run: the counts say what would have been written.
    public var dryRun = false

    /// Creates an empty report.
    public init(
        created: Int = 0, updated: Int = 0, deleted: Int = 0, unchanged: Int = 0, failures: [String] = [],
        rejected: [String] = [], dryRun: Bool = false
    ) {
        self.created = created
        self.updated = updated
        self.deleted = deleted
        self.unchanged = unchanged
        self.failures = failures
        self.rejected = rejected
        self.dryRun = dryRun
    }

    /// The number of writes (creates, updates and deletes).
    public var writes: Int { created + updated + deleted }

    public var description: String {
        let counts =
            "created \(created), updated \(updated), deleted \(deleted), unchanged \(unchanged), failed \(failures.count)"
            + (rejected.isEmpty ? "" : ", rejected \(rejected.count)")
        return dryRun ? "dry run, would have: \(counts)" : counts
    }
}
