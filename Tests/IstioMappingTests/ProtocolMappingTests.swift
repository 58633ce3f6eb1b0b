import IstioMapping
import Testing

@Suite struct ProtocolMappingTests {
    @Test(arguments: [
        ("HTTP", 8080, "http-8080"), ("GRPC-WEB", 9090, "grpc-web-9090"), ("HTTP_PROXY", 80, "http-proxy-80"),
        ("Tcp", 1, "tcp-1"), ("ÜDP_X", 5, "üdp-x-5"),
    ])
    func portNamesAreTheLowerCaseProtocolWithDashesAndTheNumber(proto: String, number: Int, expected: String) {
        #expect(ProtocolMapping.portName(protocol: proto, number: number) == expected)
    }
}
