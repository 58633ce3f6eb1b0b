import Logging

/// Everything a ``ServiceCenterSimulator`` needs before it starts.
public struct SimulatorConfiguration: Sendable {
    /// Address to bind; Service Center's default is `127.0.0.1`.
    public var host: String
    /// Port to bind; 30100 is Service Center's default, 0 picks an ephemeral port (read it back from `start()`).
    public var port: Int
    /// HTTPS/WSS instead of plain HTTP/WS when set.
    public var tls: TLSSettings?
    /// Role-based access control: when set, `POST /v4/token` exists and every other route (except version and
    /// health) needs `Authorization: Bearer <token>`.
    public var rbac: RBACSettings?
    /// The wall clock for timestamps, leases and token expiry.
    public var clock: any SimulatorClock
    /// WebSocket watch timers and limits.
    public var watch: WatchSettings
    /// How often expired leases are swept in the background (real time); `nil` sweeps only on
    /// ``ServiceCenterSimulator/expireLeases()`` and ``ServiceCenterSimulator/advance(by:)``.
    public var leaseSweepInterval: Duration?
    /// What the simulator reports about itself (version endpoint, `SERVICECENTER` self-registration).
    public var identity: ServerIdentity
    /// Logger for the listener and the simulated registry.
    public var logger: Logger

    /// Creates a configuration; the defaults mirror a stock Service Center on `127.0.0.1:30100`.
    public init(
        host: String = "127.0.0.1",
        port: Int = 30100,
        tls: TLSSettings? = nil,
        rbac: RBACSettings? = nil,
        clock: any SimulatorClock = SystemSimulatorClock(),
        watch: WatchSettings = WatchSettings(),
        leaseSweepInterval: Duration? = .seconds(1),
        identity: ServerIdentity = ServerIdentity(),
        logger: Logger = Logger(label: "servicecenter-simulator")
    ) {
        self.host = host
        self.port = port
        self.tls = tls
        self.rbac = rbac
        self.clock = clock
        self.watch = watch
        self.leaseSweepInterval = leaseSweepInterval
        self.identity = identity
        self.logger = logger
    }
}
