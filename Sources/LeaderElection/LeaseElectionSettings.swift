import BridgeKernel
import Foundation
import KubernetesAPI

/// Settings of the Lease-based leader election (the top-level `leaderElection:` section), with client-go's
/// defaults.
public struct LeaseElectionSettings: Sendable {
    /// The API server the Lease lives on.
    public var connection: ClusterConnection
    /// The Lease's namespace (default: `$POD_NAMESPACE`, else the connection's namespace).
    public var namespace: String
    /// The Lease's name.
    public var name = "meshbridge"
    /// This replica's identity (default: host name + `_` + process id).
    public var identity: String
    /// How long a lease is valid after its holder last renewed it, as followers count it.
    public var leaseDuration: Duration = .seconds(15)
    /// How long the leader keeps trying to renew before it stops writing.
    public var renewDeadline: Duration = .seconds(10)
    /// The period of acquire and renew attempts.
    public var retryPeriod: Duration = .seconds(2)
    /// The lease client's own rate limit, so renewals never queue behind bulk writes.
    public var qps: Double = 5
    /// The lease client's burst.
    public var burst = 10

    /// Creates settings.
    public init(connection: ClusterConnection, namespace: String? = nil, identity: String = Self.defaultIdentity) {
        self.connection = connection
        self.namespace = namespace ?? connection.namespace
        self.identity = identity
    }

    /// Host name + `_` + process id: unique per process, readable in `kubectl get lease`.
    public static var defaultIdentity: String {
        "\(ProcessInfo.processInfo.hostName)_\(ProcessInfo.processInfo.processIdentifier)"
    }

    /// Config keys of the section (besides `enabled`).
    public static let configKeys: Set<String> = ClusterConnection.configKeys.union([
        "namespace", "name", "identity", "leaseDuration", "renewDeadline", "retryPeriod",
    ])

    /// Reads the section; records every problem with its position and returns `nil` if any.
    public static func decode(_ config: ConfigMapping, context: PluginContext) -> LeaseElectionSettings? {
        var ok = true
        func read<T>(_ key: String, _ parse: (ConfigNode) -> T?) -> T? {
            guard let node = config[key] else { return nil }
            guard let value = parse(node) else {
                ok = false
                return nil
            }
            return value
        }
        let connection = ClusterConnection.decode(config, context: context)
        let namespace =
            read("namespace") { $0.nonEmptyString() }
            ?? context.environment["POD_NAMESPACE"].flatMap {
                $0.isEmpty ? nil : $0
            }
        var settings = connection.map { LeaseElectionSettings(connection: $0, namespace: namespace) }
        if let value = read("name", { $0.nonEmptyString() }) { settings?.name = value }
        if let value = read("identity", { $0.nonEmptyString() }) { settings?.identity = value }
        if let value = read("leaseDuration", { $0.duration(minimum: .seconds(1)) }) { settings?.leaseDuration = value }
        if let value = read("renewDeadline", { $0.duration(minimum: .milliseconds(100)) }) {
            settings?.renewDeadline = value
        }
        if let value = read("retryPeriod", { $0.duration(minimum: .milliseconds(50)) }) {
            settings?.retryPeriod = value
        }
        if let settings {
            // client-go's rule: leaseDuration > renewDeadline > 1.2 × retryPeriod, so the leader gives up before
            // anyone else may take over.
            if settings.leaseDuration <= settings.renewDeadline {
                (config["renewDeadline"] ?? config.owner).fail(
                    .invalidValue, "leaseDuration must be longer than renewDeadline")
                ok = false
            } else if settings.renewDeadline <= settings.retryPeriod * 1.2 {
                (config["retryPeriod"] ?? config.owner).fail(
                    .invalidValue, "renewDeadline must be longer than 1.2 × retryPeriod")
                ok = false
            }
        }
        return ok ? settings : nil
    }
}
