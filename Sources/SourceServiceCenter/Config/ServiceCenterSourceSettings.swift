import BridgeKernel
import BridgeTransport

/// The settings of the `servicecenter` source.
public struct ServiceCenterSourceSettings: Sendable {
    /// How the source authenticates (Service Center RBAC).
    public enum Authentication: Sendable, Hashable {
        /// No `Authorization` header.
        case none
        /// `POST /v4/token` with this account; the token is refreshed before it expires and on 401.
        case account(user: String, password: Secret)
        /// A token read from a file (re-read on 401, so a rotated file is picked up).
        case tokenFile(path: String)
    }

    /// A secret that never appears in descriptions or logs.
    public struct Secret: Sendable, Hashable, CustomStringConvertible {
        /// The secret value.
        public let value: String
        /// Wraps a secret.
        public init(_ value: String) { self.value = value }
        public var description: String { "<redacted>" }
    }

    /// Base URLs (`http(s)://host:port`), tried in order; the source fails over between them.
    public var addresses: [String]
    /// The Service Center project (path segment).
    public var project: String
    /// The domain (`X-Domain-Name`).
    public var domain: String
    /// How often services are listed.
    public var pollInterval: Duration
    /// How often everything is re-listed and re-found even without a reconnect.
    public var resyncInterval: Duration
    /// TLS settings for `https` addresses.
    public var tls: TLSConfiguration
    /// Authentication.
    public var authentication: Authentication
    /// The token lifetime requested from `POST /v4/token` (Go duration syntax, 15m–24h).
    public var tokenLifetime: Duration
    /// The name of the watcher consumer services the source registers.
    public var watcherServiceName: String
    /// How often the watch socket is pinged; a peer silent for three intervals is considered dead.
    public var watchPingInterval: Duration
    /// Deadline of each HTTP request.
    public var requestTimeout: Duration

    /// Creates settings with Service Center's defaults.
    public init(
        addresses: [String], project: String = "default", domain: String = "default",
        pollInterval: Duration = .seconds(5), resyncInterval: Duration = .seconds(60),
        tls: TLSConfiguration = TLSConfiguration(), authentication: Authentication = .none,
        tokenLifetime: Duration = .seconds(12 * 3600), watcherServiceName: String = "meshbridge-watcher",
        watchPingInterval: Duration = .seconds(15), requestTimeout: Duration = .seconds(10)
    ) {
        self.addresses = addresses
        self.project = project
        self.domain = domain
        self.pollInterval = pollInterval
        self.resyncInterval = resyncInterval
        self.tls = tls
        self.authentication = authentication
        self.tokenLifetime = tokenLifetime
        self.watcherServiceName = watcherServiceName
        self.watchPingInterval = watchPingInterval
        self.requestTimeout = requestTimeout
    }

    /// Config keys of the `servicecenter` source.
    public static let configKeys: Set<String> = [
        "addresses", "project", "domain", "pollInterval", "resyncInterval", "tls", "auth",
    ]
    static let tlsKeys: Set<String> = ["ca", "cert", "key", "insecureSkipVerify"]
    static let authKeys: Set<String> = ["user", "passwordFile", "passwordEnv", "tokenFile"]

    /// Reads the source's config section; records every problem with its position and returns `nil` if any.
    public static func decode(_ config: ConfigMapping, context: PluginContext) -> ServiceCenterSourceSettings? {
        var ok = true
        var addresses: [String] = []
        if let node = config.required("addresses") {
            if let list = node.list() {
                if list.isEmpty {
                    node.fail(.invalidValue, "needs at least one address such as http://127.0.0.1:30100")
                    ok = false
                }
                for element in list {
                    guard let text = element.nonEmptyString() else {
                        ok = false
                        continue
                    }
                    let trimmed = text.hasSuffix("/") ? String(text.dropLast()) : text
                    guard (trimmed.hasPrefix("http://") || trimmed.hasPrefix("https://")),
                        trimmed.split(separator: "/").count == 2
                    else {
                        element.fail(.invalidValue, "\"\(text)\" is not an http(s)://host:port address")
                        ok = false
                        continue
                    }
                    addresses.append(trimmed)
                }
            } else {
                ok = false
            }
        } else {
            ok = false
        }
        func text(_ key: String, default value: String) -> String {
            guard let node = config[key] else { return value }
            guard let text = node.nonEmptyString() else {
                ok = false
                return value
            }
            return text
        }
        let project = text("project", default: "default")
        let domain = text("domain", default: "default")
        func duration(_ key: String, default value: Duration) -> Duration {
            guard let node = config[key] else { return value }
            guard let parsed = node.duration(minimum: .milliseconds(1)) else {
                ok = false
                return value
            }
            return parsed
        }
        let poll = duration("pollInterval", default: .seconds(5))
        let resync = duration("resyncInterval", default: .seconds(60))
        var tls = TLSConfiguration()
        if let node = config["tls"] {
            if let mapping = node.mapping(allowedKeys: tlsKeys) {
                func path(_ key: String) -> String? {
                    guard let node = mapping[key] else { return nil }
                    guard let text = node.nonEmptyString() else {
                        ok = false
                        return nil
                    }
                    return context.resolvePath(text)
                }
                tls.trustRoots = path("ca").map { .file(path: $0) }
                tls.clientCertificate = path("cert").map { .file(path: $0) }
                tls.clientPrivateKey = path("key").map { .file(path: $0) }
                if (tls.clientCertificate == nil) != (tls.clientPrivateKey == nil) {
                    node.fail(.invalidValue, "cert and key must be given together")
                    ok = false
                }
                if let insecure = mapping["insecureSkipVerify"] {
                    if let flag = insecure.bool() { tls.insecureSkipVerify = flag } else { ok = false }
                }
            } else {
                ok = false
            }
        }
        var authentication = Authentication.none
        if let node = config["auth"] {
            if let mapping = node.mapping(allowedKeys: authKeys) {
                if let auth = decodeAuth(mapping, node: node, context: context) {
                    authentication = auth
                } else {
                    ok = false
                }
            } else {
                ok = false
            }
        }
        guard ok else { return nil }
        return ServiceCenterSourceSettings(
            addresses: addresses, project: project, domain: domain, pollInterval: poll, resyncInterval: resync,
            tls: tls, authentication: authentication)
    }

    private static func decodeAuth(
        _ mapping: ConfigMapping, node: ConfigNode, context: PluginContext
    ) -> Authentication? {
        if let tokenFile = mapping["tokenFile"] {
            guard !mapping.contains("user"), !mapping.contains("passwordFile"), !mapping.contains("passwordEnv") else {
                node.fail(.invalidValue, "use either tokenFile or user with passwordFile/passwordEnv, not both")
                return nil
            }
            return tokenFile.nonEmptyString().map { .tokenFile(path: context.resolvePath($0)) }
        }
        guard let user = mapping.required("user")?.nonEmptyString() else { return nil }
        switch (mapping["passwordFile"], mapping["passwordEnv"]) {
        case (let file?, nil):
            guard let path = file.nonEmptyString().map(context.resolvePath) else { return nil }
            guard let password = SecretFile.read(path) else {
                file.fail(.invalidValue, "cannot read the password file \(path)")
                return nil
            }
            return .account(user: user, password: Secret(password))
        case (nil, let env?):
            guard let name = env.nonEmptyString() else { return nil }
            guard let password = context.environment[name], !password.isEmpty else {
                env.fail(.invalidValue, "environment variable \(name) is not set or empty")
                return nil
            }
            return .account(user: user, password: Secret(password))
        case (nil, nil):
            node.fail(.missingKey, "auth with user needs passwordFile or passwordEnv")
            return nil
        case (_?, _?):
            node.fail(.invalidValue, "give either passwordFile or passwordEnv, not both")
            return nil
        }
    }
}
