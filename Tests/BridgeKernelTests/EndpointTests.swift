import BridgeKernel
import Testing

@Suite struct EndpointTests {
    @Test func restEndpointWithSSLQueryIsTLS() throws {
        let endpoint = try Endpoint.parse("rest://10.0.0.5:8081?sslEnabled=true")
        #expect(endpoint == Endpoint(scheme: "rest", host: "10.0.0.5", port: 8081, tls: true))
    }

    @Test func sslEnabledFalseAndOtherParametersAreKept() throws {
        let endpoint = try Endpoint.parse("rest://127.0.0.1:8080?sslEnabled=false&urlPrefix=%2Fapi")
        #expect(endpoint.tls == false)
        #expect(endpoint.parameters == ["urlPrefix": "%2Fapi"])
    }

    @Test func trailingSlashAndPathAreIgnored() throws {
        #expect(try Endpoint.parse("rest://127.0.0.1:30100/").port == 30100)
        #expect(try Endpoint.parse("http://svc.local:80/a/b?x=1").host == "svc.local")
    }

    @Test func bracketedIPv6HostIsParsedWithoutBrackets() throws {
        let endpoint = try Endpoint.parse("grpc://[2001:db8::1]:9090")
        #expect(endpoint.host == "2001:db8::1")
        #expect(endpoint.port == 9090)
        #expect(endpoint.hostIsIPAddress)
        #expect(endpoint.description == "grpc://[2001:db8::1]:9090")
    }

    @Test func hostNameEndpointIsNotAnIPAddress() throws {
        let endpoint = try Endpoint.parse("highway://orders-host.example.com:7070")
        #expect(endpoint.hostIsIPAddress == false)
    }

    @Test(arguments: [
        ("@@@@://", EndpointParseError.Code.invalidScheme),
        ("10.0.0.1:8080", .missingScheme),
        ("rest://10.0.0.1", .missingPort),
        ("rest://10.0.0.1:http", .missingPort),
        ("rest://10.0.0.1:70000", .portOutOfRange),
        ("rest://bad host:80", .invalidHost),
        ("rest://[zz::1]:80", .invalidHost),
        ("rest://:80", .invalidHost),
    ])
    func malformedEndpointsAreRejectedWithAReason(text: String, code: EndpointParseError.Code) {
        #expect(throws: EndpointParseError(code: code, text: text)) { try Endpoint.parse(text) }
    }

    @Test func parseErrorNamesTheEndpointText() {
        let error = EndpointParseError(code: .missingPort, text: "rest://h")
        #expect(error.description == "endpoint \"rest://h\": missing or non-numeric port")
    }

    @Test(arguments: ["::1", "2001:db8::", "fe80::1%eth0", "::ffff:10.0.0.1", "1:2:3:4:5:6:7:8"])
    func validIPv6AddressesAreRecognised(text: String) {
        #expect(IPAddressSyntax.isIPv6(text))
    }

    @Test(arguments: ["1:2:3:4:5:6:7:8:9", "1::2::3", "12345::", "10.0.0.1", "g::1"])
    func invalidIPv6AddressesAreRejected(text: String) {
        #expect(!IPAddressSyntax.isIPv6(text))
    }

    @Test(arguments: [
        ("10.0.0.1", true), ("256.0.0.1", false), ("01.2.3.4", false), ("1.2.3", false), ("0.0.0.0", true),
        ("255.255.255.255", true), ("100.200.250.199", true), ("1.2.3.256", false), ("1.2.3.04", false),
        ("1.2.3.00", false), ("1.2.3.1000", false), ("1.2.3.4.", false), (".1.2.3", false), ("1..2.3", false),
        ("1.2.3.4.5", false), ("", false), ("1.2.3.a", false), ("1.2.3.-1", false), ("1.2.3.+1", false),
        ("\u{661}.2.3.4", false), ("1.2.3.4 ", false),
    ])
    func ipv4Syntax(text: String, valid: Bool) {
        #expect(IPAddressSyntax.isIPv4(text) == valid)
    }
}
