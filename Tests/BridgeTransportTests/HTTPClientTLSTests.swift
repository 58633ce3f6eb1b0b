import Testing

@testable import BridgeTransport

@Suite("HTTPClient over TLS")
struct HTTPClientTLSTests {
    @Test func caFileVerifiesTheServer() async throws {
        try await withTestHTTPServer(tls: .serverOnly) { server in
            let tls = TLSConfiguration(trustRoots: .file(path: TestFixtures.tls("ca.pem")))
            try await withHTTPClient(.init(tls: tls)) { client in
                let response = try await client.execute(HTTPRequest(url: "https://127.0.0.1:\(server.port)/connection"))
                #expect(response.status == 200)
            }
        }
    }

    @Test func inMemoryCAVerifiesTheServerByHostName() async throws {
        try await withTestHTTPServer(tls: .serverOnly) { server in
            let tls = TLSConfiguration(trustRoots: .pem(try TestFixtures.tlsBytes("ca.pem")))
            try await withHTTPClient(.init(tls: tls)) { client in
                let response = try await client.execute(HTTPRequest(url: "https://localhost:\(server.port)/connection"))
                #expect(response.status == 200)
            }
        }
    }

    @Test func serverIsRejectedWithoutItsCA() async throws {
        try await withTestHTTPServer(tls: .serverOnly) { server in
            try await withHTTPClient { client in
                let error = await #expect(throws: TransportError.self) {
                    try await client.execute(HTTPRequest(url: "https://127.0.0.1:\(server.port)/connection"))
                }
                #expect(error?.code == .tls)
            }
        }
    }

    @Test func serverIsRejectedWhenTheCAIsNotTheIssuer() async throws {
        try await withTestHTTPServer(tls: .serverOnly) { server in
            // The client certificate is not a CA, so nothing can chain to it.
            let tls = TLSConfiguration(trustRoots: .file(path: TestFixtures.tls("client.pem")))
            try await withHTTPClient(.init(tls: tls)) { client in
                let error = await #expect(throws: TransportError.self) {
                    try await client.execute(HTTPRequest(url: "https://127.0.0.1:\(server.port)/connection"))
                }
                #expect(error?.code == .tls)
            }
        }
    }

    @Test func insecureSwitchSkipsVerification() async throws {
        try await withTestHTTPServer(tls: .serverOnly) { server in
            try await withHTTPClient(.init(tls: TLSConfiguration(insecureSkipVerify: true))) { client in
                let response = try await client.execute(HTTPRequest(url: "https://127.0.0.1:\(server.port)/connection"))
                #expect(response.status == 200)
            }
        }
    }

    @Test func serverRequiringAClientCertificateRejectsAClientWithout() async throws {
        try await withTestHTTPServer(tls: .clientCertificateRequired) { server in
            let tls = TLSConfiguration(trustRoots: .file(path: TestFixtures.tls("ca.pem")))
            try await withHTTPClient(.init(tls: tls)) { client in
                let error = await #expect(throws: TransportError.self) {
                    try await client.execute(HTTPRequest(url: "https://127.0.0.1:\(server.port)/connection"))
                }
                #expect(error?.code == .tls, "\(String(describing: error))")
            }
        }
    }

    @Test func clientCertificateFromFilesIsAccepted() async throws {
        try await withTestHTTPServer(tls: .clientCertificateRequired) { server in
            let tls = TLSConfiguration(
                trustRoots: .file(path: TestFixtures.tls("ca.pem")),
                clientCertificate: .file(path: TestFixtures.tls("client.pem")),
                clientPrivateKey: .file(path: TestFixtures.tls("client.key")))
            try await withHTTPClient(.init(tls: tls)) { client in
                let response = try await client.execute(HTTPRequest(url: "https://127.0.0.1:\(server.port)/connection"))
                #expect(response.status == 200)
            }
        }
    }

    @Test func clientCertificateFromPEMBlobsIsAccepted() async throws {
        try await withTestHTTPServer(tls: .clientCertificateRequired) { server in
            let tls = TLSConfiguration(
                trustRoots: .pem(try TestFixtures.tlsBytes("ca.pem")),
                clientCertificate: .pem(try TestFixtures.tlsBytes("client.pem")),
                clientPrivateKey: .pem(try TestFixtures.tlsBytes("client.key")))
            try await withHTTPClient(.init(tls: tls)) { client in
                for _ in 0..<2 {
                    let response = try await client.execute(
                        HTTPRequest(method: .post, url: "https://127.0.0.1:\(server.port)/echo", body: [1, 2, 3]))
                    #expect(response.body == [1, 2, 3])
                }
            }
        }
    }
}
