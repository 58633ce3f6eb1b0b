import ArgumentParser

/// Options shared by every command that reads a config file.
struct ConfigOptions: ParsableArguments {
    @Option(name: .shortAndLong, help: "The configuration file (YAML).")
    var config: String

    @Option(help: "Override the config's log level (trace, debug, info, notice, warning, error, critical).")
    var logLevel: String?

    @Flag(help: "Log JSON lines instead of text.")
    var logJSON = false
}
