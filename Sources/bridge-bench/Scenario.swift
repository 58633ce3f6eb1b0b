import BridgeKernel
import Foundation
import IstioMapping
import Logging
import SinkFile

/// The benchmark scenarios.
enum Scenario: String, CaseIterable {
    /// Registry model → Istio objects in memory (the pipeline's render step for a full initial sync), on
    /// `--threads` threads.
    case render
    /// The same on one thread, to show what the parallel rendering gains.
    case renderSerial = "render-serial"
    /// Render, then turn every group into the file sink's YAML in memory: the YAML writer's cost without the
    /// file system's.
    case renderYAML = "render-yaml"
    /// Render and write the GitOps directory with the file sink, then a second, unchanged push.
    case renderFiles = "render-files"
    /// Service Center simulator → the real source and pipeline → the GitOps directory (`--live-services`).
    case serviceCenterSync = "sc-sync"
    /// The istio sink's initial sync to the Kubernetes simulator, beside `kubectl apply --server-side` of the same
    /// manifests and the raw request limit (`--live-services`).
    case liveSync = "live-sync"
    /// Instance changes at `--churn-rate` per second for `--churn-seconds`, Service Center → Kubernetes, with the
    /// default debounce.
    case churn
    /// The same with a 100 ms quiet period.
    case churnQuiet = "churn-100ms"
    /// An unchanged registry for `--steady-seconds`: writes and Service Center request rate.
    case steady

    /// Whether the scenario needs the simulators (and `bridge-sim` built next to `bridge-bench`).
    var isLive: Bool {
        switch self {
        case .render, .renderSerial, .renderYAML, .renderFiles: false
        case .serviceCenterSync, .liveSync, .churn, .churnQuiet, .steady: true
        }
    }

    func run(services: Int, instancesPerService: Int, threads: Int, live: LiveOptions) async throws -> BenchResult {
        switch self {
        case .serviceCenterSync:
            return try await LiveScenarios.serviceCenterSync(
                services: live.services, instancesPerService: instancesPerService)
        case .liveSync:
            return try await LiveScenarios.liveSync(
                services: live.services, instancesPerService: instancesPerService, concurrency: live.concurrency)
        case .churn, .churnQuiet:
            return try await LiveScenarios.churn(
                services: live.services, instancesPerService: instancesPerService, rate: live.churnRate,
                duration: .seconds(live.churnSeconds), quiet: self == .churnQuiet ? .milliseconds(100) : nil,
                maxEvents: live.maxEvents, concurrency: live.concurrency)
        case .steady:
            return try await LiveScenarios.steady(
                services: live.services, instancesPerService: instancesPerService,
                duration: .seconds(live.steadySeconds), concurrency: live.concurrency)
        case .render, .renderSerial, .renderYAML, .renderFiles:
            return try await runInMemory(services: services, instancesPerService: instancesPerService, threads: threads)
        }
    }

    private func runInMemory(services: Int, instancesPerService: Int, threads: Int) async throws -> BenchResult {
        let registry = SyntheticRegistry.services(count: services, instancesPerService: instancesPerService)
        var state = RegistryState(sourceNames: ["bench"])
        var changes = ChangeSet()
        changes.add(SourceUpdate(source: "bench", change: .snapshot(registry)))
        let touched = state.apply(changes)
        let renderThreads = self == .renderSerial ? 1 : threads
        var builder = DesiredStateBuilder(
            transforms: [], renderer: IstioRenderer(), maximumConcurrency: renderThreads)
        let inputRSS = peakRSSBytes()

        let clock = ContinuousClock()
        let cpuStart = processCPUSeconds()
        let start = clock.now
        let (desired, _) = builder.update(registry: state, changed: touched)
        let renderTime = start.duration(to: clock.now)
        var counters: [String: Double] = [
            "objects": Double(desired.objectCount), "instances": Double(services * instancesPerService),
            "threads": Double(renderThreads), "renderCPUSeconds": processCPUSeconds() - cpuStart,
            "inputPeakRSSMB": Double(inputRSS) / 1_000_000,
        ]
        switch self {
        case .render, .renderSerial:
            return BenchResult(
                scenario: rawValue, seconds: renderTime.seconds, peakRSSBytes: peakRSSBytes(), counters: counters)
        case .renderYAML:
            let yamlStart = clock.now
            var bytes = 0
            for id in desired.groups.keys.sorted() {
                let group = desired.groups[id]!
                bytes += ManifestYAML.render(group.objects, header: ["service: \(group.service)"]).utf8.count
            }
            counters["yamlMB"] = Double(bytes) / 1_000_000
            counters["renderSeconds"] = renderTime.seconds
            return BenchResult(
                scenario: rawValue, seconds: yamlStart.duration(to: clock.now).seconds, peakRSSBytes: peakRSSBytes(),
                counters: counters)
        case .serviceCenterSync, .liveSync, .churn, .churnQuiet, .steady:
            preconditionFailure("live scenarios do not render in memory")
        case .renderFiles:
            let directory = NSTemporaryDirectory() + "bridge-bench-\(UUID().uuidString)"
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let sink = FileSink(
                name: "bench", settings: FileSinkSettings(directory: directory),
                logger: Logger(label: "bench", factory: { _ in SwiftLogNoOpLogHandler() }))
            let writeStart = clock.now
            let first = try await sink.apply(desired)
            let writeTime = writeStart.duration(to: clock.now)
            let againStart = clock.now
            let second = try await sink.apply(desired)
            counters["filesWritten"] = Double(first.writes)
            counters["unchangedPushSeconds"] = againStart.duration(to: clock.now).seconds
            counters["unchangedPushWrites"] = Double(second.writes)
            counters["renderSeconds"] = renderTime.seconds
            return BenchResult(
                scenario: rawValue, seconds: (renderTime + writeTime).seconds, peakRSSBytes: peakRSSBytes(),
                counters: counters)
        }
    }
}

/// Sizes and rates of the live scenarios.
struct LiveOptions {
    var services: Int
    var concurrency: Int
    var churnRate: Int
    var churnSeconds: Int
    var maxEvents: Int
    var steadySeconds: Int
}

extension Duration {
    var seconds: Double {
        let (whole, attoseconds) = components
        return Double(whole) + Double(attoseconds) / 1e18
    }
}

/// A deterministic synthetic registry shaped like a Service Center's.
enum SyntheticRegistry {
    static func services(count: Int, instancesPerService: Int) -> [Service] {
        (0..<count).map { index in
            let key = ServiceKey(
                source: "bench", environment: index % 3 == 0 ? "production" : "", app: "app-\(index % 50)",
                name: "service-\(index)")
            let instances = (0..<instancesPerService).map { replica -> Instance in
                let address = index * instancesPerService + replica
                let host = "10.\(address / 65536 % 256).\(address / 256 % 256).\(address % 256)"
                return Instance(
                    id: String(format: "%016x%016x", index, replica), hostName: "host-\(address)",
                    version: "1.0.\(replica % 3)",
                    endpoints: [
                        Endpoint(scheme: "rest", host: host, port: 8080),
                        Endpoint(scheme: "highway", host: host, port: 7070),
                    ],
                    status: replica % 10 == 9 ? .down : .up, metadata: ["zone": "z\(replica % 3)"], region: "r1",
                    zone: "z\(replica % 3)")
            }
            return Service(key: key, instances: instances)
        }
    }
}
