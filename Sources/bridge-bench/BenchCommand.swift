import ArgumentParser
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

    @Option(help: "Runs per scenario; the fastest is reported (use more on a busy machine).")
    var `repeat` = 1

    @Option(help: "Comma-separated scenarios to run.")
    var scenarios = Scenario.allCases.map(\.rawValue).joined(separator: ",")

    @Option(help: "Where to write the JSON results.")
    var json = "bench-results.json"

    @Option(help: .hidden)
    var child: String?

    func run() async throws {
        if let child {
            guard let scenario = Scenario(rawValue: child) else { throw ValidationError("unknown scenario \(child)") }
            let result = try await scenario.run(services: services, instancesPerService: instances, threads: threads)
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
            "repeat": max(1, `repeat`),
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
            "\(threads)",
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
