import ArgumentParser
import Foundation
import Logging
import ServiceCenterSimulator
import ServiceLifecycle

/// `bridge-sim servicecenter`: an Apache ServiceComb Service Center (v4 REST + WebSocket watch).
struct ServiceCenterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "servicecenter",
        abstract: "Simulate an Apache ServiceComb Service Center (v4 REST API and WebSocket watch).",
        discussion: """
            Serves /v4/{project}/registry/... and /v4/{project}/registry/microservices/{consumerId}/watcher with \
            Service Center's JSON model, defaults, validation, error bodies, leases and watch-socket behaviour. \
            The simulator registers itself as SERVICECENTER (hidden unless withShared=true).

            Control API (not part of Service Center): /__sim/faults (GET, DELETE), /__sim/faults/fail, \
            /__sim/faults/latency, /__sim/faults/refuse-watch, /__sim/faults/lose-dependencies, \
            /__sim/faults/unhealthy, /__sim/faults/drop-watch-sockets, /__sim/faults/go-away (POST, JSON bodies), \
            /__sim/stats, /__sim/events (GET), /__sim/leases/expire (POST).
            """
    )

    @Option(help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on (0 picks a free port; the chosen port is logged).")
    var port = 30100

    @Option(name: .customLong("tls-cert"), help: "PEM certificate chain; enables HTTPS/WSS (needs --tls-key).")
    var tlsCertificate: String?

    @Option(name: .customLong("tls-key"), help: "PEM private key for --tls-cert.")
    var tlsKey: String?

    @Option(name: .customLong("tls-ca"), help: "PEM CA bundle; clients must present a certificate it signed.")
    var tlsCA: String?

    @Option(name: .customLong("rbac-user"), help: "Account name for POST /v4/token (RBAC needs --rbac-password-file).")
    var rbacUser = "root"

    @Option(
        name: .customLong("rbac-password-file"),
        help:
            "File holding the account password; enables RBAC (Authorization: Bearer on every route but version/health)."
    )
    var rbacPasswordFile: String?

    @Option(help: "YAML or JSON file with services, instances and dependencies to pre-register.")
    var seed: String?

    @Option(name: .customLong("ping-interval"), help: "Seconds between server Pings on watch sockets.")
    var pingInterval = 30.0

    @Option(
        name: .customLong("read-timeout"), help: "Seconds without client Ping/Pong before a watch socket is dropped.")
    var readTimeout = 120.0

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel = "info"

    func validate() throws {
        if (tlsCertificate == nil) != (tlsKey == nil) {
            throw ValidationError("--tls-cert and --tls-key must be given together")
        }
        if tlsCA != nil, tlsCertificate == nil {
            throw ValidationError("--tls-ca needs --tls-cert and --tls-key")
        }
        guard Logger.Level(rawValue: logLevel) != nil else {
            throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, critical")
        }
        guard pingInterval > 0, readTimeout > 0 else {
            throw ValidationError("--ping-interval and --read-timeout must be positive")
        }
    }

    func run() async throws {
        let level = Logger.Level(rawValue: logLevel) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "bridge-sim.servicecenter")

        var rbac: RBACSettings?
        if let rbacPasswordFile {
            let password: String
            do {
                password = try String(contentsOfFile: rbacPasswordFile, encoding: .utf8)
                    .trimmingCharacters(in: .newlines)
            } catch {
                throw SimulatorError(.fileUnreadable, "reading --rbac-password-file '\(rbacPasswordFile)': \(error)")
            }
            rbac = RBACSettings(userName: rbacUser, password: password)
        }
        let configuration = SimulatorConfiguration(
            host: host,
            port: port,
            tls: tlsCertificate.map {
                TLSSettings(certificateChainPath: $0, privateKeyPath: tlsKey!, clientCAPath: tlsCA)
            },
            rbac: rbac,
            watch: WatchSettings(
                pingInterval: .milliseconds(Int64(pingInterval * 1000)),
                readTimeout: .milliseconds(Int64(readTimeout * 1000))
            ),
            logger: logger
        )
        let simulator = ServiceCenterSimulator(configuration: configuration)
        if let seed {
            let ids = try await simulator.load(seed: SeedDocument.load(path: seed))
            logger.info("seeded \(ids.count) services from \(seed)")
        }
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: [.init(service: simulator)],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger
            )
        )
        try await group.run()
    }
}
