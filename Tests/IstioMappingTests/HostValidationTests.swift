import BridgeKernel
import IstioMapping
import Testing

/// The ServiceEntry host rule (Istio's `ValidateWildcardDomain`), seen through the renderer: a service with an
/// invalid host is not published.
@Suite struct HostValidationTests {
    func publishes(host: String) -> Bool {
        let service = Service(
            key: ServiceKey(source: "sc", app: "shop", name: "orders"),
            instances: [Instance(id: "i1", endpoints: [Endpoint(scheme: "rest", host: "10.0.0.1", port: 8080)])],
            mesh: MeshOverrides(hosts: [host]))
        return IstioRenderer().render(service).group != nil
    }

    @Test(arguments: [
        "a.b", "*.example.com", "example.com.", "x.y1", "a-b.c", "orders", "A.B", String(repeating: "a", count: 63),
    ])
    func validHostsArePublished(host: String) {
        #expect(publishes(host: host))
    }

    @Test(arguments: [
        "*", "1.2.3.4", "a.123", "a..b", "-a.b", "a-.b", "a.*", "é.com", ".", "a.b..", "a b.c", "a_b.c",
        String(repeating: "a", count: 64), Array(repeating: "abcdefghi", count: 26).joined(separator: "."),
    ])
    func invalidHostsAreNotPublished(host: String) {
        #expect(!publishes(host: host))
    }
}
