/// TLS settings shared by ``HTTPClient`` (libcurl) and ``WebSocketClient`` (libwebsockets).
///
/// Every piece of key material can come from a file or from memory, because Kubernetes kubeconfigs carry
/// base64-encoded PEM (`certificate-authority-data`, `client-certificate-data`, `client-key-data`) rather than
/// paths. Decode the base64 first; ``PEMSource/pem(_:)`` takes the PEM text itself.
public struct TLSConfiguration: Sendable, Hashable {
    /// Where a PEM document comes from.
    public enum PEMSource: Sendable, Hashable {
        /// A PEM file on disk.
        case file(path: String)
        /// PEM text held in memory (one or more `-----BEGIN ...-----` blocks).
        case pem([UInt8])

        /// PEM text held in memory.
        public static func pem(_ text: String) -> PEMSource {
            .pem(Array(text.utf8))
        }
    }

    /// Certificate authorities that may sign the server certificate. `nil` trusts the system store; a value
    /// replaces the system store.
    public var trustRoots: PEMSource?
    /// The client certificate presented when the server asks for one (mutual TLS).
    public var clientCertificate: PEMSource?
    /// The private key of ``clientCertificate`` (PKCS#8, PKCS#1 RSA or SEC1 EC PEM).
    public var clientPrivateKey: PEMSource?
    /// Skip server certificate and hostname verification. For test clusters only: it makes TLS
    /// vulnerable to interception.
    public var insecureSkipVerify: Bool

    /// Creates a configuration; the default verifies the server against the system trust store.
    public init(
        trustRoots: PEMSource? = nil,
        clientCertificate: PEMSource? = nil,
        clientPrivateKey: PEMSource? = nil,
        insecureSkipVerify: Bool = false
    ) {
        self.trustRoots = trustRoots
        self.clientCertificate = clientCertificate
        self.clientPrivateKey = clientPrivateKey
        self.insecureSkipVerify = insecureSkipVerify
    }
}
