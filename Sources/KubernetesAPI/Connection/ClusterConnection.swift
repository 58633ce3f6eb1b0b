import BridgeTransport

/// Everything needed to reach one Kubernetes API server: where it is, how to trust it and who we are.
///
/// Built from a kubeconfig (``KubeconfigLoader``) or from the pod's service account (``InClusterConfiguration``).
public struct ClusterConnection: Sendable, Hashable, CustomStringConvertible {
    /// How requests are authenticated.
    public enum Credentials: Sendable, Hashable, CustomStringConvertible {
        /// No `Authorization` header (client certificates, if any, are part of ``ClusterConnection/tls``).
        case none
        /// A bearer token given inline.
        case token(String)
        /// A bearer token read from a file and re-read periodically, so rotated service-account tokens work.
        case tokenFile(path: String)

        public var description: String {
            switch self {
            case .none: "none"
            case .token: "token (inline)"
            case .tokenFile(let path): "token file \(path)"
            }
        }
    }

    /// The API server base URL without a trailing slash, e.g. `https://10.0.0.1:6443`.
    public var server: String
    /// TLS trust and client certificate.
    public var tls: TLSConfiguration
    /// Bearer token credentials.
    public var credentials: Credentials
    /// The namespace of the selected context (or the pod's namespace); `default` when none is set.
    public var namespace: String
    /// Where the connection came from, for logs: `kubeconfig /path (context x)` or `in-cluster`.
    public var origin: String

    /// Creates a connection.
    public init(
        server: String, tls: TLSConfiguration = TLSConfiguration(), credentials: Credentials = .none,
        namespace: String = "default", origin: String = "explicit"
    ) {
        var server = server
        while server.hasSuffix("/") { server.removeLast() }
        self.server = server
        self.tls = tls
        self.credentials = credentials
        self.namespace = namespace
        self.origin = origin
    }

    public var description: String {
        "\(server) via \(origin), credentials: \(credentials)"
    }
}
