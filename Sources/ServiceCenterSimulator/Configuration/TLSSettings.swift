import NIOSSL

/// TLS for the listener: server certificate and key, optionally a CA bundle that client certificates must chain to.
public struct TLSSettings: Sendable {
    /// PEM certificate chain file.
    public var certificateChainPath: String
    /// PEM private key file.
    public var privateKeyPath: String
    /// PEM CA bundle; when set, clients must present a certificate signed by it.
    public var clientCAPath: String?

    /// Creates TLS settings from PEM files.
    public init(certificateChainPath: String, privateKeyPath: String, clientCAPath: String? = nil) {
        self.certificateChainPath = certificateChainPath
        self.privateKeyPath = privateKeyPath
        self.clientCAPath = clientCAPath
    }

    /// The NIOSSL server configuration.
    func makeServerConfiguration() throws -> TLSConfiguration {
        do {
            let chain = try NIOSSLCertificate.fromPEMFile(certificateChainPath).map {
                NIOSSLCertificateSource.certificate($0)
            }
            let key = try NIOSSLPrivateKey(file: privateKeyPath, format: .pem)
            var configuration = TLSConfiguration.makeServerConfiguration(
                certificateChain: chain, privateKey: .privateKey(key))
            if let clientCAPath {
                configuration.trustRoots = .file(clientCAPath)
                configuration.certificateVerification = .noHostnameVerification
            }
            return configuration
        } catch {
            throw SimulatorError(
                .tlsConfigurationInvalid,
                "loading certificate '\(certificateChainPath)', key '\(privateKeyPath)'"
                    + (clientCAPath.map { ", client CA '\($0)'" } ?? "") + ": \(error)"
            )
        }
    }
}
