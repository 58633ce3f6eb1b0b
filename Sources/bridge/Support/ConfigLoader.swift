import BridgeKernel
import Foundation
import Logging

/// Reads a config file and builds the pipeline's stages with every plugin the binary ships.
enum ConfigLoader {
    /// Loads `path`; on problems prints each as `file:line:column: key: message` to standard error and throws
    /// `ExitCode(1)`.
    static func load(path: String, logger: Logger, dryRun: Bool = false) throws -> BridgeConfiguration {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            printError("\(path): cannot read the configuration file: \(error.localizedDescription)")
            throw ExitCodeError.configuration
        }
        return try load(yaml: text, file: path, logger: logger, dryRun: dryRun)
    }

    /// Loads config text (the embedded demo config uses this).
    static func load(yaml: String, file: String, logger: Logger, dryRun: Bool = false) throws -> BridgeConfiguration {
        let directory = (file as NSString).deletingLastPathComponent
        let context = PluginContext(
            logger: logger, configDirectory: directory.isEmpty ? "." : directory,
            environment: ProcessInfo.processInfo.environment, dryRun: dryRun)
        do {
            return try BridgeConfiguration.load(
                yaml: yaml, file: file, registry: BridgePlugins.registry(), context: context)
        } catch {
            for problem in error.errors { printError(problem.description) }
            printError("\(file): \(error.errors.count) problem\(error.errors.count == 1 ? "" : "s") found")
            throw ExitCodeError.configuration
        }
    }
}

/// Exit codes the CLI uses.
enum ExitCodeError: Error {
    /// The configuration is invalid (exit 1).
    case configuration
}

/// Writes a line to standard error.
func printError(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}
