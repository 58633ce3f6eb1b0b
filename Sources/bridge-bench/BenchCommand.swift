import ArgumentParser
import BridgeKernel
import Foundation

/// `bridge-bench`: measures MeshBridge's speed and memory and prints a table plus machine-readable JSON.
///
/// Each scenario runs in a child process of its own so its peak RSS is its own.
@main
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bridge-bench",
        abstract: "Benchmark MeshBridge (build with -c release). Prints a table and writes JSON.",
        discussion: "Scenarios: \(Scenario.allCases.map(\.rawValue).joined(separator: ", ")).")

    @Option(help: "Number of services.")
    var services = 10_000

    @Option(help: "Instances per service.")
    var instances = 10

    @Option(help: "Rendering threads (render-serial always uses one).")
    var threads = ProcessInfo.processInfo.activeProcessorCount

    @Option(help: "Services in the live scenarios (sc-sync, live-sync, churn, steady), each with --instances.")
    var liveServices = 1_000

    @Option(help: "Writes in flight in the live scenarios (the istio sink's maxConcurrentWrites and the raw limit).")
    var concurrency = 16

    @Option(help: "Instance changes per second in the churn scenarios.")
    var churnRate = 1_000

    @Option(help: "How long the churn scenarios change instances, in seconds.")
    var churnSeconds = 30

    @Option(help: "The debounce maxEvents rule in the churn scenarios (default: the bridge's default, 1000).")
    var maxEvents = DebounceSettings().maxEvents

    @Option(help: "How long the steady scenario watches an unchanged registry, in seconds.")
    var steadySeconds = 60

    @Option(help: "Runs per scenario; the fastest is reported (use more on a busy machine).")
    var `repeat` = 1

    @Option(help: "Comma-separated scenarios to run.")
    var scenarios = Scenario.allCases.map(\.rawValue).joined(separator: ",")

    @Option(help: "Where to write the JSON results.")
    var json = "bench-results.json"

    @Option(help: .hidden)
    var child: String?

    var liveOptions: LiveOptions {
        LiveOptions(
            services: liveServices, concurrency: concurrency, churnRate: churnRate, churnSeconds: churnSeconds,
            maxEvents: maxEvents, steadySeconds: steadySeconds)
    }

    func run() async throws {
        if let child {
            guard let scenario = Scenario(rawValue: child) else { throw ValidationError("unknown scenario \(child)") }
            let result = try await scenario.run(
                services: services, instancesPerService: instances, threads: threads, live: liveOptions)
            print(result.jsonLine)
            return
        }
        let selected = try scenarios.split(separator: ",").map { name -> Scenario in
            guard let scenario = Scenario(rawValue: String(name)) else {
                throw ValidationError(
                    "unknown scenario \(name); known: \(Scenario.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return scenario
        }
        let machine = MachineDescription.current()
        print("MeshBridge benchmarks — \(machine.summary)")
        print(
            "configuration: \(services) services × \(instances) instances = \(services * instances) instances, "
                + "\(threads) rendering threads, fastest of \(max(1, `repeat`)) runs")
        if selected.contains(where: \.isLive) {
            print(
                "live scenarios: \(liveServices) services × \(instances) instances, \(concurrency) writes in flight, "
                    + "churn \(churnRate)/s for \(churnSeconds) s (maxEvents \(maxEvents)), steady \(steadySeconds) s; simulators in their own processes"
            )
            guard FileManager.default.isExecutableFile(atPath: ChildProcess.sibling("bridge-sim")) else {
                throw ValidationError(
                    "live scenarios need bridge-sim next to bridge-bench: swift build -c release --product bridge-sim")
            }
        }
        var results: [BenchResult] = []
        for scenario in selected {
            var runs: [BenchResult] = []
            for run in 1...max(1, `repeat`) {
                FileHandle.standardError.write(Data("running \(scenario.rawValue) (\(run))…\n".utf8))
                runs.append(try runChild(scenario))
            }
            results.append(runs.min { $0.seconds < $1.seconds }!)
        }
        print(BenchResult.table(results))
        let document: [String: Any] = [
            "machine": machine.json, "services": services, "instancesPerService": instances, "threads": threads,
            "repeat": max(1, `repeat`), "liveServices": liveServices, "concurrency": concurrency,
            "churnRate": churnRate, "churnSeconds": churnSeconds, "maxEvents": maxEvents,
            "steadySeconds": steadySeconds,
            "results": results.map(\.json),
        ]
        let data = try JSONSerialization.data(withJSONObject: document, options: [.prettyPrinted, .sortedKeys])
        try data.write(to: URL(fileURLWithPath: json))
        print("JSON written to \(json)")
    }

    private func runChild(_ scenario: Scenario) throws -> BenchResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CommandLine.arguments[0]).absoluteURL
        process.arguments = [
            "--child", scenario.rawValue, "--services", "\(services)", "--instances", "\(instances)", "--threads",
            "\(threads)", "--live-services", "\(liveServices)", "--concurrency", "\(concurrency)", "--churn-rate",
            "\(churnRate)", "--churn-seconds", "\(churnSeconds)", "--max-events", "\(maxEvents)", "--steady-seconds",
            "\(steadySeconds)",
        ]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0,
            let line = String(data: data, encoding: .utf8)?.split(separator: "\n").last,
            let result = BenchResult(jsonLine: String(line))
        else {
            throw ValidationError("scenario \(scenario.rawValue) failed (exit \(process.terminationStatus))")
        }
        return result
    }
}
