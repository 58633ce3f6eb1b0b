import Foundation

/// A throw-away PKI made with `openssl`: a CA, a server certificate for 127.0.0.1 and a client certificate
/// (CN=alice, O=devs).
struct TestPKI {
    let directory: String

    var caCertificate: String { path("ca.crt") }
    var serverCertificate: String { path("server.crt") }
    var serverKey: String { path("server.key") }
    var clientCertificate: String { path("client.crt") }
    var clientKey: String { path("client.key") }

    func path(_ name: String) -> String { (directory as NSString).appendingPathComponent(name) }

    static func make(in directory: String) async throws -> TestPKI {
        let pki = TestPKI(directory: directory)
        let key = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        try "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n".write(
            toFile: pki.path("server.ext"), atomically: true, encoding: .utf8)
        try "extendedKeyUsage=clientAuth\n".write(toFile: pki.path("client.ext"), atomically: true, encoding: .utf8)
        let steps: [[String]] = [
            ["req", "-x509"] + key + [
                "-keyout", pki.path("ca.key"), "-out", pki.caCertificate, "-days", "2", "-subj",
                "/CN=kube-simulator-test-ca",
            ],
            ["req"] + key + ["-keyout", pki.serverKey, "-out", pki.path("server.csr"), "-subj", "/CN=127.0.0.1"],
            [
                "x509", "-req", "-in", pki.path("server.csr"), "-CA", pki.caCertificate, "-CAkey", pki.path("ca.key"),
                "-CAcreateserial", "-out", pki.serverCertificate, "-days", "2", "-extfile", pki.path("server.ext"),
            ],
            ["req"] + key + ["-keyout", pki.clientKey, "-out", pki.path("client.csr"), "-subj", "/O=devs/CN=alice"],
            [
                "x509", "-req", "-in", pki.path("client.csr"), "-CA", pki.caCertificate, "-CAkey", pki.path("ca.key"),
                "-CAcreateserial", "-out", pki.clientCertificate, "-days", "2", "-extfile", pki.path("client.ext"),
            ],
        ]
        for step in steps {
            let result = try await run("openssl", step)
            guard result.status == 0 else {
                throw PKIError(message: "openssl \(step.joined(separator: " ")) failed: \(result.stderr)")
            }
        }
        return pki
    }

    struct PKIError: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }
}
