import ArgumentParser

/// `bridge-sim`: registry simulators for MeshBridge tests, demos and benchmarks.
@main
struct BridgeSim: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bridge-sim",
        abstract: "Run a registry simulator that speaks the real wire protocol over real sockets.",
        discussion: """
            Each subcommand simulates one registry. Simulators run until SIGINT or SIGTERM and then shut down \
            gracefully.
            """,
        subcommands: [ServiceCenterCommand.self]
    )
}
