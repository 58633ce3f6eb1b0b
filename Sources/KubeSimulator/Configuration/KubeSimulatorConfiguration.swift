/// How a ``KubeSimulator`` listens, authenticates and behaves.
public struct KubeSimulatorConfiguration: Sendable {
    /// TLS files (PEM).
    public struct TLS: Sendable, Hashable {
        /// Server certificate chain.
        public var certificatePath: String
        /// Server private key.
        public var privateKeyPath: String
        /// CA bundle for client certificates; when set, a presented client certificate signed by it
        /// authenticates its subject CN as the user (organizations become groups).
        public var clientCAPath: String?

        /// Creates TLS settings.
        public init(certificatePath: String, privateKeyPath: String, clientCAPath: String? = nil) {
            self.certificatePath = certificatePath
            self.privateKeyPath = privateKeyPath
            self.clientCAPath = clientCAPath
        }
    }

    /// Address to bind (`127.0.0.1`).
    public var host: String
    /// Port to bind; 0 picks a free one (read it from ``KubeSimulator/start()``).
    public var port: Int
    /// Serve HTTPS instead of HTTP.
    public var tls: TLS?
    /// Accepted bearer tokens and the user each one authenticates.
    public var tokens: [String: KubeUser]
    /// Whether requests without credentials are served (as `system:anonymous`). `nil` means: allowed exactly
    /// when neither tokens nor a client CA are configured.
    public var allowAnonymous: Bool?
    /// Namespaces that exist from the start.
    public var namespaces: [String]
    /// Directory with the Istio CRD files; `nil` finds `shared/istio-crds` as ``IstioSchemas/load(filePath:)`` does.
    public var crdDirectory: String?
    /// How many changes are kept for watches; a watch from an older revision gets 410 Expired.
    public var watchHistoryLimit: Int
    /// Interval of watch bookmarks for clients that allow them.
    public var bookmarkInterval: Duration
    /// `gitVersion` reported by `/version`.
    public var gitVersion: String

    /// Creates a configuration. The defaults serve plain HTTP on an ephemeral loopback port without
    /// authentication.
    public init(
        host: String = "127.0.0.1", port: Int = 0, tls: TLS? = nil, tokens: [String: KubeUser] = [:],
        allowAnonymous: Bool? = nil,
        namespaces: [String] = ["default", "istio-system", "kube-system", "kube-public", "kube-node-lease"],
        crdDirectory: String? = nil, watchHistoryLimit: Int = 10_000, bookmarkInterval: Duration = .seconds(60),
        gitVersion: String = "v1.32.0"
    ) {
        self.host = host
        self.port = port
        self.tls = tls
        self.tokens = tokens
        self.allowAnonymous = allowAnonymous
        self.namespaces = namespaces
        self.crdDirectory = crdDirectory
        self.watchHistoryLimit = watchHistoryLimit
        self.bookmarkInterval = bookmarkInterval
        self.gitVersion = gitVersion
    }

    /// Whether anonymous requests are served.
    var anonymousAllowed: Bool {
        allowAnonymous ?? (tokens.isEmpty && tls?.clientCAPath == nil)
    }
}

/// An authenticated identity.
public struct KubeUser: Sendable, Hashable, CustomStringConvertible {
    /// User name (`system:serviceaccount:istio-system:bridge`, a certificate CN).
    public var name: String
    /// Groups (certificate organizations).
    public var groups: [String]

    /// Creates a user.
    public init(name: String, groups: [String] = []) {
        self.name = name
        self.groups = groups
    }

    /// The anonymous user.
    public static let anonymous = KubeUser(name: "system:anonymous", groups: ["system:unauthenticated"])

    public var description: String { name }
}
