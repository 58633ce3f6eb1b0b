import BridgeKernel
import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import IstioSchemaValidation
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOSSL
import ServiceLifecycle

/// A Kubernetes API server simulator that behaves like kube-apiserver 1.32 for the Istio networking CRDs
/// (ServiceEntry, WorkloadEntry, DestinationRule), Leases and Namespaces, over real HTTP(S) sockets — faithful
/// enough for the real `kubectl` and for client code under test.
///
/// ```swift
/// let simulator = try KubeSimulator(configuration: .init(tokens: ["secret": KubeUser(name: "bridge")]))
/// let port = try await simulator.start()
/// // ... talk to http://127.0.0.1:\(port) ...
/// simulator.faults.add(Fault(.throttle(retryAfterSeconds: 1), count: 3))
/// await simulator.stop()
/// ```
public final class KubeSimulator: Sendable {
    /// The configuration it was created with.
    public let configuration: KubeSimulatorConfiguration
    /// The object store (inspect objects, revisions, open watches; compact the watch history).
    public let store: ObjectStore
    /// Injected faults and the partition switch.
    public let faults: FaultInjector
    /// Every successful write.
    public let writeLog: WriteLog

    private let catalog: ResourceCatalog
    private let running = NIOLockedValueBox<Running?>(nil)
    private let clock: @Sendable () -> Date

    private struct Running {
        var port: Int
        var group: ServiceGroup
        var task: Task<Void, any Error>
    }

    /// Creates a simulator and its built-in namespaces. Nothing listens until ``start()``.
    ///
    /// - Throws: ``CRDLoadingError`` when the Istio CRDs cannot be loaded.
    public init(
        configuration: KubeSimulatorConfiguration = KubeSimulatorConfiguration(),
        now: @escaping @Sendable () -> Date = Date.init
    )
        throws
    {
        self.configuration = configuration
        let schemas: IstioSchemas
        if let directory = configuration.crdDirectory {
            schemas = try IstioSchemas(directory: directory)
        } else {
            schemas = try IstioSchemas.load()
        }
        catalog = ResourceCatalog(schemas: schemas)
        store = ObjectStore(historyLimit: configuration.watchHistoryLimit)
        faults = FaultInjector()
        writeLog = WriteLog()
        clock = now
        for namespace in configuration.namespaces {
            _ = try? createNamespace(namespace)
        }
        writeLog.clear()
    }

    /// The port while running.
    public var port: Int? {
        running.withLockedValue { $0?.port }
    }

    /// `http://127.0.0.1:PORT` or `https://…` while running.
    public var url: String? {
        port.map { "\(configuration.tls == nil ? "http" : "https")://\(Self.hostForURL(configuration.host)):\($0)" }
    }

    /// Starts listening and returns the bound port.
    ///
    /// - Throws: when the TLS files cannot be read or the address cannot be bound.
    @discardableResult
    public func start() async throws -> Int {
        if let port { return port }
        var logger = Logger(label: "kube-simulator")
        logger.logLevel = .critical
        let server: HTTPServerBuilder
        if let tls = configuration.tls {
            server = try .tls(.http1(), tlsConfiguration: try Self.tlsConfiguration(tls))
        } else {
            server = .http1()
        }
        let responder = SimulatorResponder(
            handler: handler, admin: AdminEndpoints(store: store, faults: faults, writeLog: writeLog), faults: faults,
            authenticator: Authenticator(
                tokens: configuration.tokens, anonymousAllowed: configuration.anonymousAllowed),
            usesTLS: configuration.tls != nil)
        let (portStream, portContinuation) = AsyncStream<Int>.makeStream()
        let application = Application(
            responder: responder, server: server,
            configuration: ApplicationConfiguration(address: .hostname(configuration.host, port: configuration.port)),
            onServerRunning: { channel in
                portContinuation.yield(channel.localAddress?.port ?? 0)
                portContinuation.finish()
            },
            logger: logger)
        let group = ServiceGroup(services: [application], logger: logger)
        let task = Task {
            defer { portContinuation.finish() }
            try await group.run()
        }
        var iterator = portStream.makeAsyncIterator()
        guard let port = await iterator.next(), port != 0 else {
            task.cancel()
            _ = try await task.value
            throw KubeSimulatorError(
                code: .bindFailed, detail: "could not listen on \(configuration.host):\(configuration.port)")
        }
        running.withLockedValue { $0 = Running(port: port, group: group, task: task) }
        return port
    }

    /// Stops listening: ends open watches, then shuts the server down gracefully.
    public func stop() async {
        guard
            let current = running.withLockedValue({ value -> Running? in
                defer { value = nil }
                return value
            })
        else { return }
        store.closeAllWatches()
        await current.group.triggerGracefulShutdown()
        _ = try? await current.task.value
    }

    /// Sends a `BOOKMARK` at the current revision to every watch that allows bookmarks.
    public func sendBookmarks() {
        store.bookmark(watch: nil)
    }

    /// Performs an API request in-process (no socket, as an authenticated administrator); useful to seed or
    /// inspect state from tests. Returns the status code and the JSON body (`nil` for non-JSON bodies and
    /// watches).
    public func perform(
        _ method: String, _ path: String, body: JSONValue? = nil, contentType: String = "application/json",
        query: [String: String] = [:]
    ) async -> (code: Int, body: JSONValue?) {
        let request = KubeRequest(
            method: method, path: path, query: query, accept: "application/json", contentType: contentType,
            userAgent: "kube-simulator/in-process", body: Data((body?.canonicalJSON ?? "").utf8),
            user: KubeUser(name: "system:admin", groups: ["system:masters"]))
        switch await handler.handle(request) {
        case .json(let code, let body, _, _, _): return (code, body)
        case .error(let error):
            if case .status(let status) = error.body { return (error.code, status) }
            return (error.code, nil)
        case .watch: return (200, nil)
        }
    }

    /// A kubeconfig (YAML) for this simulator: bearer `token`, or client certificate and key files, and the
    /// CA to trust for TLS.
    public func kubeconfig(
        token: String? = nil, clientCertificatePath: String? = nil, clientKeyPath: String? = nil,
        certificateAuthorityPath: String? = nil, namespace: String = "default"
    ) -> String {
        var lines = [
            "apiVersion: v1", "kind: Config", "clusters:", "- name: kube-simulator", "  cluster:",
            "    server: \(url ?? "http://127.0.0.1:0")",
        ]
        if let certificateAuthorityPath { lines.append("    certificate-authority: \(certificateAuthorityPath)") }
        lines += ["users:", "- name: kube-simulator"]
        var user: [String] = []
        if let token { user.append("    token: \(token)") }
        if let clientCertificatePath { user.append("    client-certificate: \(clientCertificatePath)") }
        if let clientKeyPath { user.append("    client-key: \(clientKeyPath)") }
        lines += user.isEmpty ? ["  user: {}"] : ["  user:"] + user
        lines += [
            "contexts:", "- name: kube-simulator", "  context:", "    cluster: kube-simulator",
            "    user: kube-simulator", "    namespace: \(namespace)", "current-context: kube-simulator",
        ]
        return lines.joined(separator: "\n") + "\n"
    }

    // MARK: Internals

    private var handler: APIHandler {
        let gitVersion = configuration.gitVersion
        return APIHandler(
            catalog: catalog, store: store, writeLog: writeLog,
            discovery: DiscoveryDocuments(
                catalog: catalog, gitVersion: gitVersion,
                serverAddress: "\(configuration.host):\(port ?? configuration.port)"),
            openAPI: OpenAPIDocuments(catalog: catalog, gitVersion: gitVersion),
            bookmarkInterval: configuration.bookmarkInterval, now: clock)
    }

    private func createNamespace(_ name: String) throws {
        let route = ResourceRoute(
            resource: ResourceCatalog.namespaces, version: "v1", namespace: nil, name: nil, subresource: nil)
        let request = KubeRequest(
            method: "POST", path: "/api/v1/namespaces", query: [:], accept: "application/json",
            contentType: "application/json", userAgent: "kube-apiserver",
            body: Data(#"{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"\#(name)"}}"#.utf8),
            user: KubeUser(name: "system:apiserver"))
        _ = try handler.create(route, request)
    }

    private static func hostForURL(_ host: String) -> String {
        host.contains(":") ? "[\(host)]" : host
    }

    private static func tlsConfiguration(_ tls: KubeSimulatorConfiguration.TLS) throws -> TLSConfiguration {
        let chain = try NIOSSLCertificate.fromPEMFile(tls.certificatePath).map {
            NIOSSLCertificateSource.certificate($0)
        }
        let key = try NIOSSLPrivateKey(file: tls.privateKeyPath, format: .pem)
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: chain, privateKey: .privateKey(key))
        configuration.applicationProtocols = ["http/1.1"]
        if let clientCA = tls.clientCAPath {
            configuration.trustRoots = .file(clientCA)
            configuration.certificateVerification = .optionalVerification
        }
        return configuration
    }
}

/// The simulator could not be started.
public struct KubeSimulatorError: Error, Sendable, CustomStringConvertible {
    /// What failed.
    public enum Code: Sendable, Hashable {
        /// The listening socket could not be opened.
        case bindFailed
    }

    /// What failed.
    public var code: Code
    /// Details (address, underlying error).
    public var detail: String

    public var description: String {
        switch code {
        case .bindFailed: return "Kubernetes API simulator failed to start: \(detail)"
        }
    }
}
