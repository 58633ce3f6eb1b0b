import BridgeKernel

/// The `static` source: services declared in the config file. For services that live outside any registry — an
/// external database, a partner API — and for tests.
///
/// It reports its services once and then stays idle; config changes need a restart.
public struct StaticSource: RegistrySource {
    public let name: String
    /// The declared services.
    public let services: [Service]

    /// Creates a source.
    public init(name: String, services: [Service]) {
        self.name = name
        self.services = services
    }

    public func run(output: SourceOutput) async throws {
        output.snapshot(services)
        output.health(.healthy)
        // Nothing changes until the bridge stops; an AsyncStream that never yields ends on cancellation.
        let (idle, _) = AsyncStream.makeStream(of: Never.self)
        for await _ in idle {}
    }
}
