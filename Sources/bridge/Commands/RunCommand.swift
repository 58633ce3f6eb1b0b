import ArgumentParser
import BridgeKernel
import BridgeOperations
import Logging
import ServiceLifecycle

/// `bridge --config FILE`: runs the pipeline until SIGINT or SIGTERM.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Run the bridge until SIGINT or SIGTERM (the default command).")

    @OptionGroup var options: ConfigOptions

    @Flag(help: "Log what the sinks would create, update and delete instead of writing (istio and file sinks).")
    var dryRun = false

    func run() async throws {
        let configuration: BridgeConfiguration
        do {
            configuration = try ConfigLoader.load(
                path: options.config, logger: Logger(label: "meshbridge"), dryRun: dryRun)
        } catch ExitCodeError.configuration {
            throw ExitCode(1)
        }
        try await BridgeRunner.run(configuration, options: options)
    }
}

/// Runs a loaded configuration under swift-service-lifecycle with signal handling.
enum BridgeRunner {
    static func run(
        _ configuration: BridgeConfiguration, options: ConfigOptions?,
        observe: (@Sendable (PipelineEvent) -> Void)? = nil
    ) async throws {
        var log = configuration.log
        if let level = options?.logLevel.flatMap(Logger.Level.init(rawValue:)) { log.level = level }
        if options?.logJSON == true { log.format = .json }
        LoggingSetup.bootstrap(log)
        let logger = Logger(label: "meshbridge")
        let leadership = LeadershipGate(leading: configuration.leaderElection == nil)
        let pipeline = Pipeline(
            sources: configuration.sources, transforms: configuration.transforms, renderer: configuration.renderer,
            sinks: configuration.sinks, debounce: configuration.debounce, leadership: leadership,
            clock: ContinuousClock(), logger: logger)
        if let observe { pipeline.observe(observe) }
        // Services shut down in reverse order: the pipeline first (it flushes and finishes its writes as leader),
        // then the election, which releases the lease, and the operator endpoints last.
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = []
        if let operations = configuration.operations {
            OperationsServer.bootstrapMetrics()
            let readiness = ReadinessState(leadership: leadership, sinkCount: configuration.sinks.count)
            pipeline.observe { event in
                readiness.observe(event)
                PipelineMetrics.record(event)
            }
            services.append(
                .init(
                    service: OperationsServer.application(settings: operations, readiness: readiness, logger: logger)))
            services.append(.init(service: LeadershipReporter(gate: leadership)))
        }
        if let campaign = configuration.leaderElection {
            services.append(.init(service: LeaderElectionService(campaign: campaign, gate: leadership)))
        }
        services.append(.init(service: PipelineService(pipeline: pipeline)))
        var groupConfiguration = ServiceGroupConfiguration(
            services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        // Kubernetes waits 30 s (terminationGracePeriodSeconds) before SIGKILL: finish well within it, and give
        // cancelled work a few seconds more.
        groupConfiguration.maximumGracefulShutdownDuration = .seconds(20)
        groupConfiguration.maximumCancellationDuration = .seconds(5)
        let group = ServiceGroup(configuration: groupConfiguration)
        try await group.run()
    }
}

/// Keeps the `meshbridge_leader` gauge equal to the leadership gate.
struct LeadershipReporter: ServiceLifecycle.Service {
    let gate: LeadershipGate

    func run() async throws {
        await cancelWhenGracefulShutdown {
            var leading = gate.isLeading
            PipelineMetrics.recordLeadership(leading)
            while !Task.isCancelled {
                await gate.wait(until: !leading)
                if Task.isCancelled { return }
                leading.toggle()
                PipelineMetrics.recordLeadership(leading)
            }
        }
    }
}

/// The leader election as a lifecycle service: campaigns until graceful shutdown, then releases the lease.
struct LeaderElectionService: ServiceLifecycle.Service {
    let campaign: any LeadershipCampaign
    let gate: LeadershipGate

    func run() async throws {
        await cancelWhenGracefulShutdown {
            await campaign.run(gate: gate)
        }
        await campaign.release()
    }
}

/// The pipeline as a lifecycle service: a graceful shutdown stops the sources, pushes what is pending, and
/// finishes writing before `run()` returns.
struct PipelineService: ServiceLifecycle.Service {
    let pipeline: Pipeline<ContinuousClock>

    func run() async throws {
        try await withGracefulShutdownHandler {
            try await pipeline.run()
        } onGracefulShutdown: {
            pipeline.shutdown()
        }
    }
}
