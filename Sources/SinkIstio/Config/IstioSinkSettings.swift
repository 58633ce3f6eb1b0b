import BridgeKernel
import Foundation
import KubernetesAPI

/// Settings of the `istio` sink (live writes to a Kubernetes API server).
public struct IstioSinkSettings: Sendable {
    /// How the sink notices objects changed or deleted in the cluster behind its back.
    public enum DriftRepair: String, Sendable, Hashable {
        /// Watch the objects (a long-lived request per kind and namespace); repairs within about a second.
        case watch
        /// List the objects every ``IstioSinkSettings/relistInterval``.
        case relist
        /// Do not look; the cluster is only corrected when the registry changes.
        case off
    }

    /// The API server and credentials.
    public var connection: ClusterConnection
    /// The server-side-apply field manager shared by every replica.
    public var fieldManager = "meshbridge"
    /// Client-side rate limit: requests per second (≤ 0 disables).
    public var qps: Double = 20
    /// Client-side rate limit: burst.
    public var burst = 40
    /// Writes in flight at once.
    public var maxConcurrentWrites = 8
    /// How drift is noticed.
    public var driftRepair = DriftRepair.watch
    /// The period of ``DriftRepair/relist``.
    public var relistInterval: Duration = .seconds(30)
    /// How long one watch request stays open before it is renewed.
    public var watchTimeout: Duration = .seconds(300)
    /// Deadline of each request.
    public var requestTimeout: Duration = .seconds(30)
    /// Log the plan instead of writing.
    public var dryRun = false

    /// Creates settings for a connection.
    public init(connection: ClusterConnection) {
        self.connection = connection
    }

    /// Config keys of the `istio` sink.
    public static let configKeys: Set<String> = ClusterConnection.configKeys.union([
        "fieldManager", "qps", "burst", "maxConcurrentWrites", "driftRepair", "relistInterval", "watchTimeout",
        "requestTimeout", "dryRun",
    ])

    /// Reads the sink's config section and resolves the connection (reading the kubeconfig or the pod's service
    /// account, see ``ClusterConnection/decode(_:context:serviceAccountDirectory:)``); records every problem with
    /// its position and returns `nil` if any.
    public static func decode(
        _ config: ConfigMapping, context: PluginContext,
        serviceAccountDirectory: String = InClusterConfiguration.defaultDirectory
    ) -> IstioSinkSettings? {
        var ok = true
        func read<T>(_ key: String, _ parse: (ConfigNode) -> T?) -> T? {
            guard let node = config[key] else { return nil }
            guard let value = parse(node) else {
                ok = false
                return nil
            }
            return value
        }
        let connection = ClusterConnection.decode(
            config, context: context, serviceAccountDirectory: serviceAccountDirectory)
        if connection == nil { ok = false }
        var settings = connection.map(IstioSinkSettings.init(connection:))
        if let value = read("fieldManager", { $0.nonEmptyString() }) { settings?.fieldManager = value }
        if let value = read("qps", { $0.int(in: 0...100_000) }) { settings?.qps = Double(value) }
        if let value = read("burst", { $0.int(in: 1...100_000) }) { settings?.burst = value }
        if let value = read("maxConcurrentWrites", { $0.int(in: 1...1024) }) { settings?.maxConcurrentWrites = value }
        if let value = read("driftRepair", { $0.oneOf(["watch", "relist", "off"]) }) {
            settings?.driftRepair = DriftRepair(rawValue: value)!
        }
        if let value = read("relistInterval", { $0.duration(minimum: .milliseconds(100)) }) {
            settings?.relistInterval = value
        }
        if let value = read("watchTimeout", { $0.duration(minimum: .seconds(1)) }) { settings?.watchTimeout = value }
        if let value = read("requestTimeout", { $0.duration(minimum: .milliseconds(100)) }) {
            settings?.requestTimeout = value
        }
        if let value = read("dryRun", { $0.bool() }) { settings?.dryRun = value }
        if context.dryRun { settings?.dryRun = true }
        return ok ? settings : nil
    }
}
