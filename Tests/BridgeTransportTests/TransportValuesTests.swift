import Testing

@testable import BridgeTransport

@Suite("Transport value types")
struct TransportValuesTests {
    @Test func redactionRemovesUserInfoAndCredentialQueryValues() {
        #expect(
            RedactedURL.redact("https://admin:s3cret@sc.example:30100/v4/watch?access_token=abc&watch=true#frag")
                == "https://sc.example:30100/v4/watch?access_token=REDACTED&watch=true#frag")
        #expect(
            RedactedURL.redact("https://10.0.0.1:6443/api/v1/pods?resourceVersion=42&X-Amz-Signature=zz&apiKey=k")
                == "https://10.0.0.1:6443/api/v1/pods?resourceVersion=42&X-Amz-Signature=REDACTED&apiKey=REDACTED")
        #expect(RedactedURL.redact("ws://127.0.0.1:1/plain") == "ws://127.0.0.1:1/plain")
        #expect(RedactedURL.redact("not a url?password=x") == "not a url?password=REDACTED")
    }

    @Test func errorDescriptionNamesOperationURLCodeAndLibraryText() {
        let error = TransportError(
            code: .connectFailed, operation: "GET", url: "https://user:pw@10.0.0.1:6443/api?token=t",
            detail: "Failed to connect to 10.0.0.1 port 6443: Connection refused", curlCode: 7)
        #expect(
            error.description
                == "GET https://10.0.0.1:6443/api?token=REDACTED: connection failed (libcurl 7: Failed to connect to "
                + "10.0.0.1 port 6443: Connection refused)")
        let rejected = TransportError(
            code: .upgradeRejected, operation: "WebSocket", url: "wss://sc:30100/watch",
            detail: "HS: ws upgrade unauthorized", httpStatus: 401)
        #expect(
            rejected.description
                == "WebSocket wss://sc:30100/watch: WebSocket upgrade rejected (HTTP 401) (HS: ws upgrade unauthorized)"
        )
    }

    @Test func headersAreOrderedRepeatableAndCaseInsensitive() {
        var headers: HTTPHeaders = ["Accept": "application/json", "X-Trace": "1"]
        headers.add(name: "x-trace", value: "2")
        #expect(headers["ACCEPT"] == "application/json")
        #expect(headers.values(for: "X-TRACE") == ["1", "2"])
        #expect(headers.count == 3)
        headers["x-Trace"] = "3"
        #expect(headers.values(for: "x-trace") == ["3"])
        headers["accept"] = nil
        #expect(!headers.contains("Accept"))
        #expect(headers.map(\.name) == ["x-Trace"])
    }

    @Test func pemDocumentsSplitIntoBlocksAndDecodeToDER() throws {
        let bundle =
            try TestFixtures.tlsBytes("ca.pem") + Array("\nBag Attributes: ignored\n".utf8)
            + (try TestFixtures.tlsBytes("client.pem"))
        let document = try #require(PEMDocument(bundle))
        let certificates = document.ders(labelled: "CERTIFICATE")
        #expect(certificates.count == 2)
        // DER certificates are ASN.1 SEQUENCEs with a two-byte long-form length.
        #expect(certificates.allSatisfy { $0.first == 0x30 && $0.dropFirst().first == 0x82 })
        let key = try #require(PEMDocument(try TestFixtures.tlsBytes("client.key"))?.privateKey)
        #expect(key.label == "PRIVATE KEY")
    }

    @Test func malformedPEMIsRejected() {
        #expect(PEMDocument(Array("-----BEGIN CERTIFICATE-----\nAAAA\n".utf8)) == nil)
        #expect(PEMDocument(Array("-----BEGIN CERTIFICATE-----\nA*AA\n-----END CERTIFICATE-----\n".utf8)) == nil)
        #expect(PEMDocument(Array("no pem here".utf8))?.blocks.isEmpty == true)
    }

    @Test func base64DecodesWithAndWithoutPadding() {
        #expect(Base64.decode("aGVsbG8=") == Array("hello".utf8))
        #expect(Base64.decode("aGVsbG8") == Array("hello".utf8))
        #expect(Base64.decode("aGVs\nbG8h") == Array("hello!".utf8))
        #expect(Base64.decode("a=b") == nil)
    }

    @Test func webSocketURLsSplitIntoConnectParts() throws {
        let secure = try #require(WebSocketURL("wss://sc.example/v4/default/watcher?x=1#ignored"))
        #expect(secure == WebSocketURL(secure: true, host: "sc.example", port: 443, path: "/v4/default/watcher?x=1"))
        #expect(secure.hostHeader == "sc.example")
        let plain = try #require(WebSocketURL("ws://127.0.0.1:30100"))
        #expect(plain.path == "/")
        #expect(plain.hostHeader == "127.0.0.1:30100")
        let ipv6 = try #require(WebSocketURL("ws://[::1]:8080/w"))
        #expect(ipv6.host == "::1")
        #expect(ipv6.hostHeader == "[::1]:8080")
        #expect(WebSocketURL("wss://[::1/") == nil)
    }

    @Test func durationsRoundUpToWholeMilliseconds() {
        #expect(Duration.microseconds(1).roundedUpMilliseconds == 1)
        #expect(Duration.milliseconds(1500).roundedUpMilliseconds == 1500)
        #expect(Duration.seconds(2).roundedUpMilliseconds == 2000)
        #expect(Duration.nanoseconds(1_000_001).roundedUpMilliseconds == 2)
    }
}
