import ArgumentParser

/// `bridge-sim`: simulators of the systems the bridge talks to (Service Center, kube-apiserver), for tests, demos
/// and benchmarks.
@main
struct BridgeSim: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bridge-sim",
        abstract: "Run a simulator that speaks the real wire protocol over real sockets.",
        discussion: """
            Each subcommand simulates one system. Simulators run until SIGINT or SIGTERM and then shut down \
            gracefully.
            """,
        subcommands: [ServiceCenterCommand.self, KubeCommand.self]
    )
}
