import ArgumentParser

/// `bridge`: makes registry services discoverable by an Istio service mesh.
@main
struct BridgeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bridge",
        abstract: "Bridge a service registry (Service Center, static) into Istio ServiceEntry/WorkloadEntry objects.",
        discussion: """
            With --config FILE the bridge runs until SIGINT or SIGTERM, writing to the sinks the file names.
            See README.md for the configuration reference.
            """,
        subcommands: [RunCommand.self, ValidateCommand.self, RenderCommand.self, DemoCommand.self],
        defaultSubcommand: RunCommand.self
    )
}
