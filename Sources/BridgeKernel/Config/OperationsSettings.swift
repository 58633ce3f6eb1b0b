/// Where the operator endpoints (`/healthz`, `/readyz`, `/metrics`) listen: the top-level `operations:` section.
public struct OperationsSettings: Sendable, Hashable {
    /// The host or address to bind (`0.0.0.0`, `127.0.0.1`, `::`).
    public var host: String
    /// The TCP port; 0 picks a free one.
    public var port: Int

    /// Creates settings.
    public init(host: String = "0.0.0.0", port: Int = 9090) {
        self.host = host
        self.port = port
    }

    /// Parses `host:port` (`[v6]:port` for IPv6, `:port` for every address).
    public static func parse(address: String) -> OperationsSettings? {
        guard let colon = address.lastIndex(of: ":"), let port = Int(address[address.index(after: colon)...]),
            (0...65535).contains(port)
        else { return nil }
        var host = String(address[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return OperationsSettings(host: host.isEmpty ? "0.0.0.0" : host, port: port)
    }
}
