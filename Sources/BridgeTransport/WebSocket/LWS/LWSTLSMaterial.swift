import CLibWebSockets

/// The key material of one ``TLSConfiguration`` prepared for a libwebsockets client vhost.
///
/// Files are passed as paths (OpenSSL reads bundles and every key format). In-memory PEM is decoded here and
/// handed over as DER, because libwebsockets 4.1 converts only a single, tightly formatted PEM block: the first CA
/// certificate goes into `client_ssl_ca_mem`, the rest of a bundle is added afterwards with
/// `lws_tls_client_vhost_extra_cert_mem`. An in-memory client certificate contributes its leaf only.
struct LWSTLSMaterial {
    var caPath: String?
    var caFirstDER: [UInt8]?
    var extraCADER: [[UInt8]] = []
    var certificatePath: String?
    var certificateDER: [UInt8]?
    var keyPath: String?
    var keyDER: [UInt8]?

    /// Whether the configuration names its own trust roots (which then replace the system store).
    var hasOwnTrustRoots: Bool { self.caPath != nil || self.caFirstDER != nil }

    init(_ tls: TLSConfiguration, state: WebSocketConnectionState) throws {
        func decode(_ bytes: [UInt8], _ what: String) throws -> PEMDocument {
            guard let document = PEMDocument(bytes), !document.blocks.isEmpty else {
                throw state.error(.tls, "the \(what) is not valid PEM")
            }
            return document
        }
        switch tls.trustRoots {
        case .file(let path):
            self.caPath = path
        case .pem(let bytes):
            let certificates = try decode(bytes, "CA bundle").ders(labelled: "CERTIFICATE")
            guard let first = certificates.first else {
                throw state.error(.tls, "the CA bundle contains no CERTIFICATE block")
            }
            self.caFirstDER = first
            self.extraCADER = Array(certificates.dropFirst())
        case nil:
            break
        }
        switch tls.clientCertificate {
        case .file(let path):
            self.certificatePath = path
        case .pem(let bytes):
            guard let leaf = try decode(bytes, "client certificate").ders(labelled: "CERTIFICATE").first else {
                throw state.error(.tls, "the client certificate contains no CERTIFICATE block")
            }
            self.certificateDER = leaf
        case nil:
            break
        }
        switch tls.clientPrivateKey {
        case .file(let path):
            self.keyPath = path
        case .pem(let bytes):
            guard let key = try decode(bytes, "client key").privateKey else {
                throw state.error(.tls, "the client key contains no unencrypted PRIVATE KEY block")
            }
            self.keyDER = key.der
        case nil:
            break
        }
    }

    /// Points the client TLS fields of `info` at this material for the duration of `body`.
    func withCreationInfo<Result>(
        _ info: inout lws_context_creation_info,
        _ body: (inout lws_context_creation_info) -> Result
    ) -> Result {
        withOptionalCString(self.caPath) { caPath in
            withOptionalCString(self.certificatePath) { certificatePath in
                withOptionalCString(self.keyPath) { keyPath in
                    withOptionalBytes(self.caFirstDER) { ca in
                        withOptionalBytes(self.certificateDER) { certificate in
                            withOptionalBytes(self.keyDER) { key in
                                info.client_ssl_ca_filepath = caPath
                                info.client_ssl_cert_filepath = certificatePath
                                info.client_ssl_private_key_filepath = keyPath
                                info.client_ssl_ca_mem = ca.flatMap { UnsafeRawPointer($0.baseAddress) }
                                info.client_ssl_ca_mem_len = UInt32(ca?.count ?? 0)
                                info.client_ssl_cert_mem = certificate.flatMap { UnsafeRawPointer($0.baseAddress) }
                                info.client_ssl_cert_mem_len = UInt32(certificate?.count ?? 0)
                                info.client_ssl_key_mem = key.flatMap { UnsafeRawPointer($0.baseAddress) }
                                info.client_ssl_key_mem_len = UInt32(key?.count ?? 0)
                                return body(&info)
                            }
                        }
                    }
                }
            }
        }
    }
}

private func withOptionalCString<Result>(_ string: String?, _ body: (UnsafePointer<CChar>?) -> Result) -> Result {
    if let string {
        return string.withCString { body($0) }
    }
    return body(nil)
}

private func withOptionalBytes<Result>(_ bytes: [UInt8]?, _ body: (UnsafeBufferPointer<UInt8>?) -> Result) -> Result {
    if let bytes {
        return bytes.withUnsafeBufferPointer { body($0) }
    }
    return body(nil)
}
