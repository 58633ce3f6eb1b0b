import BridgeTransport
import Foundation
import Yams

/// Reads kubeconfig files the way `kubectl` does and resolves the selected context to a ``ClusterConnection``.
///
/// Supported: several files (`KUBECONFIG` is a `:`-separated list; the first file that sets a cluster, user or
/// context name wins, and so does the first `current-context`), `server`, `certificate-authority(-data)`,
/// `insecure-skip-tls-verify`, `client-certificate(-data)`, `client-key(-data)`, `token`, `tokenFile` and the
/// context namespace. Relative paths resolve against the directory of the file that names them. `exec` and
/// `auth-provider` plugins and basic auth are reported as unsupported rather than silently ignored.
public enum KubeconfigLoader {
    /// The kubeconfig files to read: `$KUBECONFIG` (non-empty entries) or `~/.kube/config`.
    public static func defaultPaths(environment: [String: String]) -> [String] {
        if let list = environment["KUBECONFIG"], !list.isEmpty {
            return list.split(separator: ":").map(String.init).filter { !$0.isEmpty }
        }
        guard let home = environment["HOME"] else { return [] }
        return [home + "/.kube/config"]
    }

    /// Loads `paths` (missing files are skipped, as kubectl does, unless none exists) and resolves `context`
    /// (or the files' `current-context`).
    public static func load(paths: [String], context: String? = nil) throws(KubernetesConfigError) -> ClusterConnection
    {
        var merged = MergedConfig()
        var readAny = false
        for path in paths where FileManager.default.fileExists(atPath: path) {
            readAny = true
            let text: String
            do {
                text = try String(contentsOfFile: path, encoding: .utf8)
            } catch {
                throw KubernetesConfigError(
                    .unreadable, source: path, detail: "cannot be read: \(error.localizedDescription)")
            }
            try merged.add(text: text, path: path)
        }
        guard readAny else {
            throw KubernetesConfigError(
                .notFound, source: paths.joined(separator: ":"),
                detail: "no kubeconfig file exists here; set KUBECONFIG, the sink's `kubeconfig`, or run in a cluster")
        }
        return try merged.resolve(context: context, source: paths.joined(separator: ":"))
    }

    /// Parses one kubeconfig document held in memory; relative paths resolve against `directory`.
    public static func parse(_ text: String, directory: String, context: String? = nil) throws(KubernetesConfigError)
        -> ClusterConnection
    {
        var merged = MergedConfig()
        let source = directory.hasSuffix("/") ? directory + "kubeconfig" : directory + "/kubeconfig"
        try merged.add(text: text, path: source)
        return try merged.resolve(context: context, source: source)
    }
}

/// Named entries gathered from one or more kubeconfig files; first definition wins.
private struct MergedConfig {
    struct Entry {
        var node: Node
        var file: String
    }

    var clusters: [String: Entry] = [:]
    var users: [String: Entry] = [:]
    var contexts: [String: Entry] = [:]
    var currentContext: (name: String, file: String)?

    mutating func add(text: String, path: String) throws(KubernetesConfigError) {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch {
            throw KubernetesConfigError(.malformed, source: path, detail: "is not valid YAML: \(error)")
        }
        guard let root else { return }
        guard root.mapping != nil else {
            throw KubernetesConfigError(.malformed, source: path, detail: "is not a kubeconfig (expected a mapping)")
        }
        for (key, field) in [("clusters", "cluster"), ("users", "user"), ("contexts", "context")] {
            guard let list = root[key] else { continue }
            guard let items = list.sequence else {
                throw KubernetesConfigError(.malformed, source: path, detail: "`\(key)` must be a list")
            }
            for item in items {
                guard let name = item["name"]?.string, !name.isEmpty else {
                    throw KubernetesConfigError(
                        .malformed, source: path,
                        detail: "an entry of `\(key)` has no name (line \(item.mark?.line ?? 0))")
                }
                let body = item[field] ?? Node.mapping(Node.Mapping([]))
                let entry = Entry(node: body, file: path)
                switch key {
                case "clusters": if clusters[name] == nil { clusters[name] = entry }
                case "users": if users[name] == nil { users[name] = entry }
                default: if contexts[name] == nil { contexts[name] = entry }
                }
            }
        }
        if currentContext == nil, let name = root["current-context"]?.string, !name.isEmpty {
            currentContext = (name, path)
        }
    }

    func resolve(context requested: String?, source: String) throws(KubernetesConfigError) -> ClusterConnection {
        guard let contextName = requested ?? currentContext?.name else {
            throw KubernetesConfigError(
                .missingEntry, source: source,
                detail: "no current-context is set; name one with the sink's `context` key")
        }
        guard let context = contexts[contextName] else {
            throw KubernetesConfigError(
                .missingEntry, source: source,
                detail:
                    "context \"\(contextName)\" does not exist (known: \(contexts.keys.sorted().joined(separator: ", ")))"
            )
        }
        guard let clusterName = context.node["cluster"]?.string, let cluster = clusters[clusterName] else {
            throw KubernetesConfigError(
                .missingEntry, source: context.file,
                detail:
                    "context \"\(contextName)\" names cluster \"\(context.node["cluster"]?.string ?? "")\", which does not exist"
            )
        }
        let userName = context.node["user"]?.string ?? ""
        let user: Entry?
        if userName.isEmpty {
            user = nil
        } else if let found = users[userName] {
            user = found
        } else {
            throw KubernetesConfigError(
                .missingEntry, source: context.file,
                detail: "context \"\(contextName)\" names user \"\(userName)\", which does not exist")
        }

        guard let server = cluster.node["server"]?.string, !server.isEmpty else {
            throw KubernetesConfigError(
                .missingEntry, source: cluster.file, detail: "no server found for cluster \"\(clusterName)\"")
        }
        var tls = TLSConfiguration()
        let insecure = cluster.node["insecure-skip-tls-verify"]?.bool ?? false
        let caData = try Self.base64(
            cluster.node["certificate-authority-data"], field: "certificate-authority-data", file: cluster.file)
        let caFile = Self.path(cluster.node["certificate-authority"], relativeTo: cluster.file)
        if insecure, caData != nil || caFile != nil {
            throw KubernetesConfigError(
                .unsupported, source: cluster.file,
                detail:
                    "cluster \"\(clusterName)\": specifying a root certificates file with the insecure flag is not allowed"
            )
        }
        tls.insecureSkipVerify = insecure
        if let caData { tls.trustRoots = .pem(caData) } else if let caFile { tls.trustRoots = .file(path: caFile) }

        var credentials = ClusterConnection.Credentials.none
        if let user {
            let node = user.node
            for unsupported in ["exec", "auth-provider"] where node[unsupported] != nil {
                throw KubernetesConfigError(
                    .unsupported, source: user.file,
                    detail:
                        "user \"\(userName)\" uses an `\(unsupported)` credential plugin, which MeshBridge does not run; use a token, tokenFile or client certificate"
                )
            }
            if node["username"] != nil || node["password"] != nil {
                throw KubernetesConfigError(
                    .unsupported, source: user.file,
                    detail:
                        "user \"\(userName)\" uses basic authentication, which Kubernetes no longer supports; use a token or client certificate"
                )
            }
            let certData = try Self.base64(
                node["client-certificate-data"], field: "client-certificate-data", file: user.file)
            let keyData = try Self.base64(node["client-key-data"], field: "client-key-data", file: user.file)
            let certFile = Self.path(node["client-certificate"], relativeTo: user.file)
            let keyFile = Self.path(node["client-key"], relativeTo: user.file)
            let hasCertificate = certData != nil || certFile != nil
            if hasCertificate != (keyData != nil || keyFile != nil) {
                throw KubernetesConfigError(
                    .missingEntry, source: user.file,
                    detail:
                        "user \"\(userName)\" sets a client certificate without its key, or a key without its certificate"
                )
            }
            if let certData {
                tls.clientCertificate = .pem(certData)
            } else if let certFile {
                tls.clientCertificate = .file(path: certFile)
            }
            if let keyData {
                tls.clientPrivateKey = .pem(keyData)
            } else if let keyFile {
                tls.clientPrivateKey = .file(path: keyFile)
            }

            let token = node["token"]?.string.flatMap { $0.isEmpty ? nil : $0 }
            let tokenFile = Self.path(node["tokenFile"], relativeTo: user.file)
            if hasCertificate, token != nil || tokenFile != nil {
                throw KubernetesConfigError(
                    .unsupported, source: user.file,
                    detail:
                        "user \"\(userName)\" has more than one authentication method (client certificate and token); keep one"
                )
            }
            if let token {
                credentials = .token(token)
            } else if let tokenFile {
                credentials = .tokenFile(path: tokenFile)
            }
        }
        let namespace = context.node["namespace"]?.string.flatMap { $0.isEmpty ? nil : $0 } ?? "default"
        return ClusterConnection(
            server: server, tls: tls, credentials: credentials, namespace: namespace,
            origin: "kubeconfig \(context.file) (context \(contextName))")
    }

    private static func base64(_ node: Node?, field: String, file: String) throws(KubernetesConfigError) -> [UInt8]? {
        guard let text = node?.string, !text.isEmpty else { return nil }
        guard let data = Data(base64Encoded: text.filter { !$0.isWhitespace }) else {
            throw KubernetesConfigError(.malformed, source: file, detail: "`\(field)` is not valid base64")
        }
        return Array(data)
    }

    private static func path(_ node: Node?, relativeTo file: String) -> String? {
        guard let path = node?.string, !path.isEmpty else { return nil }
        if path.hasPrefix("/") { return path }
        let directory = (file as NSString).deletingLastPathComponent
        return directory.isEmpty ? path : (directory as NSString).appendingPathComponent(path)
    }
}
