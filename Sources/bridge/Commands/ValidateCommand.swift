import ArgumentParser
import Logging

/// `bridge validate --config FILE`: checks a config file without running anything.
struct ValidateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check a configuration file; print every problem as file:line:column and exit 1 if there is any.")

    @OptionGroup var options: ConfigOptions

    func run() async throws {
        do {
            let configuration = try ConfigLoader.load(path: options.config, logger: Logger(label: "meshbridge"))
            print(
                "\(options.config): OK (\(configuration.sources.count) sources, \(configuration.transforms.count) transforms, \(configuration.sinks.count) sinks)"
            )
        } catch ExitCodeError.configuration {
            throw ExitCode(1)
        }
    }
}
