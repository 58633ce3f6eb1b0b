/// A snapshot of one open watch socket, for tests and benchmarks.
public struct WatchSocketInfo: Sendable, Hashable {
    /// The consumer service id from the path.
    public var consumerId: String
    /// The tenant of the socket.
    public var tenant: Tenant
    /// Event frames written.
    public var eventFramesSent: Int
    /// Server Pings written.
    public var pingsSent: Int
    /// Ping-timer ticks so far (a tick sends a Ping only while the client has not pinged first).
    public var pingTicks: Int
    /// Whether the client pinged first (the server then stops pinging).
    public var clientPinged: Bool
    /// Pongs written in answer to client Pings.
    public var pongsSent: Int
}
