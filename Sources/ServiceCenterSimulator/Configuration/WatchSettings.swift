/// Timers and limits of the watch WebSocket (`server/pubsub/ws/connection.go`), configurable so tests need not
/// wait the real 30 s / 120 s.
public struct WatchSettings: Sendable {
    /// Server Ping period while the client has not pinged first (`HeartbeatInterval`, 30 s).
    public var pingInterval: Duration
    /// The connection is dropped after this long without a Ping or Pong from the client (`ReadTimeout`, 120 s).
    public var readTimeout: Duration
    /// Largest client data message accepted (`ReadMaxBody`, 64 bytes); larger ones get Close 1009 and a drop.
    public var readLimit: Int
    /// Events buffered per subscriber (`QueueSize`, 5000); on overflow all queued events are dropped.
    public var queueCapacity: Int

    /// Creates watch settings; the defaults are Service Center's constants.
    public init(
        pingInterval: Duration = .seconds(30),
        readTimeout: Duration = .seconds(120),
        readLimit: Int = 64,
        queueCapacity: Int = 5000
    ) {
        self.pingInterval = pingInterval
        self.readTimeout = readTimeout
        self.readLimit = readLimit
        self.queueCapacity = queueCapacity
    }
}
