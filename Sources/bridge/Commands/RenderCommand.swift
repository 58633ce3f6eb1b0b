import ArgumentParser
import BridgeKernel
import Foundation
import Logging
import SinkFile

/// `bridge render --config FILE`: reads every source once and prints the Istio objects as YAML.
struct RenderCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Read every source once and print the rendered Istio objects as YAML to standard output.")

    @OptionGroup var options: ConfigOptions

    @Option(help: "How long to wait for every source's first full listing, e.g. 30s.")
    var timeout: String = "30s"

    func run() async throws {
        guard let wait = DurationSyntax.parse(timeout) else {
            printError("--timeout \(timeout): not a duration (use e.g. 500ms, 30s, 1m)")
            throw ExitCode(2)
        }
        let configuration: BridgeConfiguration
        do {
            configuration = try ConfigLoader.load(path: options.config, logger: Logger(label: "meshbridge"))
        } catch ExitCodeError.configuration {
            throw ExitCode(1)
        }
        var log = configuration.log
        log.level = options.logLevel.flatMap(Logger.Level.init(rawValue:)) ?? .warning
        LoggingSetup.bootstrap(log)

        guard let changes = await SnapshotCollector.collect(from: configuration.sources, timeout: wait) else {
            printError("render: not every source delivered a full listing within \(timeout)")
            throw ExitCode(1)
        }
        var registry = RegistryState(sourceNames: configuration.sources.map(\.name))
        let changed = registry.apply(changes)
        var builder = DesiredStateBuilder(transforms: configuration.transforms, renderer: configuration.renderer)
        let (state, diagnostics) = builder.update(registry: registry, changed: changed)
        for diagnostic in diagnostics { printError("\(diagnostic.severity): \(diagnostic)") }
        print(ManifestYAML.render(state.allObjects), terminator: "")
    }
}

/// Runs sources until each has reported a full listing, then stops them.
enum SnapshotCollector {
    /// The merged changes once every source sent a snapshot, or `nil` on timeout.
    static func collect(from sources: [any RegistrySource], timeout: Duration) async -> ChangeSet? {
        let (updates, continuation) = AsyncStream.makeStream(of: SourceUpdate?.self)
        return await withTaskGroup(of: Void.self) { group in
            for source in sources {
                group.addTask {
                    try? await source.run(output: SourceOutput(source: source.name) { continuation.yield($0) })
                }
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                continuation.yield(nil)
            }
            var changes = ChangeSet()
            var pending = Set(sources.map(\.name))
            for await update in updates {
                guard let update else { break }
                changes.add(update)
                if case .snapshot = update.change { pending.remove(update.source) }
                if pending.isEmpty { break }
            }
            group.cancelAll()
            return pending.isEmpty ? changes : nil
        }
    }
}
