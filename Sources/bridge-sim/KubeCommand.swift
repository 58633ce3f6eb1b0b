import ArgumentParser
import Foundation
import KubeSimulator

/// `bridge-sim kube`: a Kubernetes API server simulator kubectl can talk to.
struct KubeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kube",
        abstract: "Serve a simulated Kubernetes API (Istio networking CRDs, Leases, Namespaces)."
    )

    @Option(help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on (0 picks a free port).")
    var port = 6443

    @Option(name: .customLong("tls-cert"), help: "Server certificate (PEM); enables HTTPS together with --tls-key.")
    var tlsCertificate: String?

    @Option(name: .customLong("tls-key"), help: "Server private key (PEM).")
    var tlsKey: String?

    @Option(name: .customLong("client-ca"), help: "CA bundle for client certificates (CN = user name).")
    var clientCA: String?

    @Option(name: .customLong("tls-ca"), help: "CA to name in the written kubeconfig (defaults to --tls-cert).")
    var tlsCA: String?

    @Option(
        name: .customLong("token"),
        help: "Accepted bearer token, as TOKEN or TOKEN=USER (repeatable; kubectl sends tokens only over HTTPS).")
    var tokens: [String] = []

    @Flag(help: "Serve requests without credentials even when tokens or a client CA are configured.")
    var allowAnonymous = false

    @Option(name: .customLong("crd-dir"), help: "Directory with the Istio CRD files (default: shared/istio-crds).")
    var crdDirectory: String?

    @Option(name: .customLong("write-kubeconfig"), help: "Write a kubeconfig for this server to PATH.")
    var kubeconfigPath: String?

    func validate() throws {
        if (tlsCertificate == nil) != (tlsKey == nil) {
            throw ValidationError("--tls-cert and --tls-key must be given together")
        }
        if clientCA != nil, tlsCertificate == nil {
            throw ValidationError("--client-ca needs --tls-cert and --tls-key")
        }
    }

    func run() async throws {
        var users: [String: KubeUser] = [:]
        for entry in tokens {
            let parts = entry.split(separator: "=", maxSplits: 1).map(String.init)
            users[parts[0]] = KubeUser(name: parts.count > 1 ? parts[1] : "token-user")
        }
        var configuration = KubeSimulatorConfiguration(
            host: host, port: port, tokens: users, allowAnonymous: allowAnonymous ? true : nil,
            crdDirectory: crdDirectory)
        if let tlsCertificate, let tlsKey {
            configuration.tls = .init(certificatePath: tlsCertificate, privateKeyPath: tlsKey, clientCAPath: clientCA)
        }
        if !users.isEmpty, configuration.tls == nil {
            // client-go sends bearer tokens only over HTTPS.
            FileHandle.standardError.write(
                Data("warning: kubectl does not send bearer tokens over plain HTTP; add --tls-cert/--tls-key\n".utf8))
        }
        let simulator = try KubeSimulator(configuration: configuration)
        try await simulator.start()
        let url = simulator.url ?? ""
        // Written unbuffered so a parent process reading the URL line sees it at once.
        FileHandle.standardOutput.write(Data((url + "\n").utf8))
        if let kubeconfigPath {
            let text = simulator.kubeconfig(
                token: users.keys.sorted().first,
                certificateAuthorityPath: configuration.tls == nil ? nil : (tlsCA ?? tlsCertificate))
            try text.write(toFile: kubeconfigPath, atomically: true, encoding: .utf8)
            FileHandle.standardOutput.write(Data("kubeconfig written to \(kubeconfigPath)\n".utf8))
        }
        let (signals, signalled) = AsyncStream<Void>.makeStream()
        let sources = [SIGINT, SIGTERM].map { signalNumber -> any DispatchSourceSignal in
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber)
            source.setEventHandler { signalled.yield() }
            source.resume()
            return source
        }
        var iterator = signals.makeAsyncIterator()
        _ = await iterator.next()
        for source in sources { source.cancel() }
        await simulator.stop()
    }
}
