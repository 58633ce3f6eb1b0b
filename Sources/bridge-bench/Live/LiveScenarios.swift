import BridgeKernel
import BridgeTransport
import Foundation
import IstioMapping
import KubernetesAPI
import Logging
import SinkFile
import SinkIstio
import SourceServiceCenter

/// The scenarios that run the bridge against the simulators over loopback (issue #6, scenarios 2–5). The
/// simulators run in processes of their own, so the peak RSS reported is the bridge's.
enum LiveScenarios {
    static let quietLogger = Logger(label: "bench", factory: { _ in SwiftLogNoOpLogHandler() })
    /// Registry change requests the churn generator keeps in flight at most.
    static let maximumChangesInFlight = 64

    static func temporaryDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "bridge-bench-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func istioSink(
        _ connection: ClusterConnection, concurrency: Int,
        observer: (@Sendable (KubernetesClient.RequestRecord) -> Void)? = nil
    ) -> IstioSink {
        var settings = IstioSinkSettings(connection: connection)
        settings.qps = 0
        settings.maxConcurrentWrites = concurrency
        settings.driftRepair = .off
        return IstioSink(name: "cluster", settings: settings, logger: quietLogger, observer: observer)
    }

    static func desiredState(services: Int, instancesPerService: Int) -> DesiredState {
        var registry = RegistryState(sourceNames: ["bench"])
        var changes = ChangeSet()
        changes.add(
            SourceUpdate(
                source: "bench",
                change: .snapshot(SyntheticRegistry.services(count: services, instancesPerService: instancesPerService))
            ))
        let touched = registry.apply(changes)
        var builder = DesiredStateBuilder(transforms: [], renderer: IstioRenderer())
        return builder.update(registry: registry, changed: touched).0
    }

    // MARK: 3. Initial live sync vs kubectl apply --server-side vs the raw limit

    static func liveSync(services: Int, instancesPerService: Int, concurrency: Int) async throws -> BenchResult {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let clock = ContinuousClock()
        let state = desiredState(services: services, instancesPerService: instancesPerService)
        let objects = state.objectCount

        // The bridge: the istio sink from nothing to everything.
        let bridgeCluster = try await KubernetesSimulatorProcess.start(directory: directory)
        let sink = istioSink(bridgeCluster.connection, concurrency: concurrency)
        let bridgeStart = clock.now
        let report = try await sink.apply(state)
        let bridgeSeconds = bridgeStart.duration(to: clock.now).seconds
        let bridgeRSS = peakRSSBytes()
        let apiWrites = try await bridgeCluster.istioWriteCount()
        guard report.failures.isEmpty, report.rejected.isEmpty, report.created == objects else {
            throw BenchError("the live sync did not converge: \(report)")
        }
        await bridgeCluster.stop()

        // The peer: `kubectl apply --server-side -f DIR` of the same manifests against a fresh server.
        let manifests = "\(directory)/manifests"
        var fileSettings = FileSinkSettings(directory: manifests)
        fileSettings.kustomization = false
        _ = try await FileSink(name: "manifests", settings: fileSettings, logger: quietLogger).apply(state)
        let kubectlCluster = try await KubernetesSimulatorProcess.start(directory: directory)
        let kubectlStart = clock.now
        let kubectl = try ChildProcess(
            "kubectl",
            [
                "--kubeconfig", kubectlCluster.kubeconfig, "--cache-dir", "\(directory)/kubectl-cache", "apply",
                "--server-side", "-f", manifests,
            ])
        let kubectlStatus = await kubectl.wait()
        let kubectlSeconds = kubectlStart.duration(to: clock.now).seconds
        let kubectlWrites = try await kubectlCluster.istioWriteCount()
        await kubectlCluster.stop()
        guard kubectlStatus == 0, kubectlWrites == objects else {
            throw BenchError(
                "kubectl apply failed (\(kubectlStatus), \(kubectlWrites) writes): \(kubectl.output.suffix(2000))")
        }

        // The raw limit: the same apply requests through the bridge's transport, no pipeline, same concurrency.
        let rawCluster = try await KubernetesSimulatorProcess.start(directory: directory)
        let client = KubernetesClient(
            connection: rawCluster.connection, configuration: .init(qps: 0, userAgent: "bench-raw"),
            logger: quietLogger)
        let requests = state.allObjects.map { object -> (APIResource, String, String, [UInt8]) in
            (
                APIResource.forObject(apiVersion: object.apiVersion, kind: object.kind)!, object.namespace, object.name,
                Array(object.document.canonicalJSON.utf8)
            )
        }
        let rawStart = clock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            var pending = requests.makeIterator()
            func send(_ request: (APIResource, String, String, [UInt8])) {
                group.addTask {
                    _ = try await client.apply(
                        request.0, namespace: request.1, name: request.2, body: request.3, fieldManager: "raw")
                }
            }
            for _ in 0..<concurrency { if let next = pending.next() { send(next) } }
            while try await group.next() != nil { if let next = pending.next() { send(next) } }
        }
        let rawSeconds = rawStart.duration(to: clock.now).seconds
        await client.shutdown()
        await rawCluster.stop()

        return BenchResult(
            scenario: "live-sync", seconds: bridgeSeconds, peakRSSBytes: bridgeRSS,
            counters: [
                "objects": Double(objects), "apiWrites": Double(apiWrites), "concurrency": Double(concurrency),
                "kubectlSeconds": kubectlSeconds, "rawSeconds": rawSeconds,
                "speedupVsKubectl": kubectlSeconds / bridgeSeconds, "ratioToRaw": bridgeSeconds / rawSeconds,
                "writesPerSecond": Double(apiWrites) / bridgeSeconds,
            ])
    }

    // MARK: 2. Initial sync from Service Center to the GitOps directory

    static func serviceCenterSync(services: Int, instancesPerService: Int) async throws -> BenchResult {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let registry = try await ServiceCenterSimulatorProcess.start(
            directory: directory, services: services, instancesPerService: instancesPerService)
        let source = ServiceCenterSource(
            name: "sc", settings: ServiceCenterSourceSettings(addresses: [registry.url]), logger: quietLogger)
        let sink = FileSink(
            name: "gitops", settings: FileSinkSettings(directory: "\(directory)/gitops"), logger: quietLogger)
        let harness = PipelineHarness(sources: [source], sinks: [sink], debounce: DebounceSettings())
        let clock = ContinuousClock()
        let requestsBefore = try await registry.requestCount()
        let start = clock.now
        harness.start()
        let written = await harness.wait {
            if case .sinkApplied(_, _, let report) = $0 { return report.created >= services }
            return false
        }
        let seconds = start.duration(to: clock.now).seconds
        let requests = try await registry.requestCount() - requestsBefore
        await harness.stop()
        await registry.stop()
        guard written != nil else { throw BenchError("the initial sync never reached the file sink") }
        return BenchResult(
            scenario: "sc-sync", seconds: seconds, peakRSSBytes: peakRSSBytes(),
            counters: [
                "services": Double(services), "instances": Double(services * instancesPerService),
                "files": Double(services), "serviceCenterRequests": Double(requests),
                "debounceQuietSeconds": DebounceSettings().quiet.seconds,
            ])
    }

    // MARK: 4 and 5. Churn and steady state, Service Center → istio sink

    /// Starts both simulators and a pipeline, and waits for the initial live sync.
    static func syncedBridge(
        directory: String, services: Int, instancesPerService: Int, debounce: DebounceSettings, concurrency: Int
    ) async throws -> (ServiceCenterSimulatorProcess, KubernetesSimulatorProcess, TimingSink, PipelineHarness) {
        let registry = try await ServiceCenterSimulatorProcess.start(
            directory: directory, services: services, instancesPerService: instancesPerService)
        let cluster = try await KubernetesSimulatorProcess.start(directory: directory)
        let source = ServiceCenterSource(
            name: "sc", settings: ServiceCenterSourceSettings(addresses: [registry.url]), logger: quietLogger)
        let writes = WriteInstants()
        let sink = TimingSink(
            istioSink(cluster.connection, concurrency: concurrency, observer: writes.record), writes: writes)
        let harness = PipelineHarness(sources: [source], sinks: [sink], debounce: debounce)
        harness.start()
        let expected = services + services * instancesPerService - services * instancesPerService / 10
        guard
            await harness.wait({
                if case .sinkApplied(_, _, let report) = $0 { return report.created + report.unchanged >= expected }
                return false
            }) != nil
        else { throw BenchError("the initial live sync did not finish") }
        return (registry, cluster, sink, harness)
    }

    static func churn(
        services: Int, instancesPerService: Int, rate: Int, duration: Duration, quiet: Duration?, maxEvents: Int,
        concurrency: Int
    ) async throws -> BenchResult {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // The default rules, or a shorter quiet period (the max delay follows it, as in a configuration file).
        let debounce = DebounceSettings(quiet: quiet ?? DebounceSettings().quiet, maxEvents: maxEvents)
        let (registry, cluster, sink, harness) = try await syncedBridge(
            directory: directory, services: services, instancesPerService: instancesPerService, debounce: debounce,
            concurrency: concurrency)
        sink.resetCounts()
        let writesBefore = try await cluster.istioWriteCount()
        // Routed (UP) instances only: a change to a DOWN instance writes nothing. Built before the clock starts:
        // at 10 000 services it takes long enough that the first ticks fell behind and went out as a burst.
        let routed = (0..<services).flatMap { service in
            (0..<instancesPerService).filter { $0 % 10 != 9 }.map { (service, $0) }
        }
        let clock = ContinuousClock()
        let cpuBefore = processCPUSeconds()
        let simulatorCPUBefore = (registry.process.cpuSeconds, cluster.process.cpuSeconds)
        let start = clock.now
        let total = Int(duration.seconds * Double(rate))
        let tick = Duration.milliseconds(10)
        let perTick = max(1, rate / 100)
        var sequence = 0
        var sends: [(service: Int, at: ContinuousClock.Instant)] = []
        sends.reserveCapacity(total)
        try await withThrowingTaskGroup(of: Void.self) { group in
            // Each tick's changes go in one request, so the generator's HTTP work does not crowd out the bridge.
            // A registry that cannot take the rate must slow the generator down (the achieved rate is reported),
            // not pile up connections until the process runs out of file descriptors.
            let maximumBatchesInFlight = max(1, maximumChangesInFlight / perTick)
            var inFlight = 0
            var tickIndex = 0
            while sequence < total {
                let due = start + tick * tickIndex
                if clock.now < due { try await Task.sleep(until: due, clock: .continuous) }
                if inFlight >= maximumBatchesInFlight {
                    try await group.next()
                    inFlight -= 1
                }
                let sentAt = clock.now
                var batch: [(service: Int, replica: Int, value: String)] = []
                while batch.count < perTick, sequence < total {
                    let (service, replica) = routed[(sequence * 7919) % routed.count]
                    let instance = "s\(service)-\(replica)"
                    sink.sent(instance: instance, sequence: sequence, at: sentAt)
                    sends.append((service, sentAt))
                    batch.append((service, replica, TimingSink.label(instance: instance, sequence: sequence)))
                    sequence += 1
                }
                inFlight += 1
                group.addTask { [batch] in try await registry.setProperties(batch) }
                tickIndex += 1
            }
            try await group.waitForAll()
        }
        let sendSeconds = start.duration(to: clock.now).seconds
        // Let the last burst drain: wait until every change was seen or 30 s passed.
        let drainDeadline = clock.now + .seconds(30) + debounce.maxDelay
        while clock.now < drainDeadline, sink.measurements.latencies.count < total {
            try await Task.sleep(for: .milliseconds(50))
        }
        let cpu = processCPUSeconds() - cpuBefore
        let registryCPU = registry.process.cpuSeconds - simulatorCPUBefore.0
        let clusterCPU = cluster.process.cpuSeconds - simulatorCPUBefore.1
        let wall = start.duration(to: clock.now).seconds
        let (latencies, changedObjects, writes) = sink.measurements
        let apiWrites = try await cluster.istioWriteCount() - writesBefore
        await harness.stop()
        await registry.stop()
        await cluster.stop()
        let sorted = latencies.map(\.seconds).sorted()
        guard !sorted.isEmpty, changedObjects > 0 else {
            throw BenchError("no registry change reached the cluster (\(writes) writes)")
        }
        // What the bridge adds beyond the debounce rules: from when a change's service fell due (its quiet period
        // after the service's last change in the burst, or the max delay) to when the change was written. Every
        // measured latency has its write instant, so this is never empty here.
        let due = DebounceSchedule.dueInstants(of: sends, settings: debounce)
        let beyondDebounce = sink.writtenAt.map { sequence, instant in
            max(0, due[sequence].duration(to: instant).seconds)
        }.sorted()
        func percentile(_ p: Double, of values: [Double]) -> Double {
            values[min(values.count - 1, max(0, Int((Double(values.count) * p).rounded(.up)) - 1))]
        }
        func percentile(_ p: Double) -> Double { percentile(p, of: sorted) }
        return BenchResult(
            scenario: quiet == nil ? "churn" : "churn-quiet-\(Int(quiet!.seconds * 1000))ms",
            seconds: percentile(0.99), peakRSSBytes: peakRSSBytes(),
            counters: [
                "changes": Double(total), "changesPerSecond": Double(total) / sendSeconds,
                "measured": Double(latencies.count), "p50Seconds": percentile(0.5), "p99Seconds": percentile(0.99),
                "maxSeconds": sorted.last!, "quietSeconds": debounce.quiet.seconds,
                "maxDelaySeconds": debounce.maxDelay.seconds, "maxEvents": Double(debounce.maxEvents),
                "beyondDebounceP50Seconds": percentile(0.5, of: beyondDebounce),
                "beyondDebounceP99Seconds": percentile(0.99, of: beyondDebounce),
                "beyondDebounceMaxSeconds": beyondDebounce.last!,
                "services": Double(services),
                "changedObjects": Double(changedObjects), "sinkWrites": Double(writes), "apiWrites": Double(apiWrites),
                "writesPerChangedObject": Double(writes) / Double(changedObjects),
                "cpuPercent": cpu / wall * 100, "cpuMillisecondsPerChange": cpu * 1000 / Double(total),
                "serviceCenterSimulatorCPUPercent": registryCPU / wall * 100,
                "kubeSimulatorCPUPercent": clusterCPU / wall * 100,
            ])
    }

    static func steady(services: Int, instancesPerService: Int, duration: Duration, concurrency: Int) async throws
        -> BenchResult
    {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let (registry, cluster, _, harness) = try await syncedBridge(
            directory: directory, services: services, instancesPerService: instancesPerService,
            debounce: DebounceSettings(), concurrency: concurrency)
        let writesBefore = try await cluster.istioWriteCount()
        let requestsBefore = try await registry.requestCount()
        let cpuBefore = processCPUSeconds()
        try await Task.sleep(for: duration)
        let cpu = processCPUSeconds() - cpuBefore
        let writes = try await cluster.istioWriteCount() - writesBefore
        let requests = try await registry.requestCount() - requestsBefore
        await harness.stop()
        await registry.stop()
        await cluster.stop()
        return BenchResult(
            scenario: "steady", seconds: duration.seconds, peakRSSBytes: peakRSSBytes(),
            counters: [
                "apiWrites": Double(writes), "serviceCenterRequests": Double(requests),
                "serviceCenterRequestsPerSecond": Double(requests) / duration.seconds,
                "cpuPercent": cpu / duration.seconds * 100,
            ])
    }
}
