import ArgumentParser

/// `bridge-sim`: simulators of the systems the bridge talks to, for tests and demos.
@main
struct BridgeSim: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bridge-sim",
        abstract: "Run simulators of the systems the bridge talks to.",
        subcommands: [KubeCommand.self]
    )
}
