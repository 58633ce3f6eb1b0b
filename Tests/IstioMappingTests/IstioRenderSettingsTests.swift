import BridgeKernel
import IstioMapping
import Testing

@Suite struct IstioRenderSettingsTests {
    func decode(_ yaml: String) -> (IstioRenderSettings?, [ConfigError]) {
        let problems = ConfigProblems(file: "bridge.yaml")
        guard let root = ConfigNode.parse(yaml: yaml, problems: problems),
            let mapping = root.mapping(allowedKeys: IstioRenderSettings.configKeys)
        else { return (nil, problems.errors) }
        return (IstioRenderSettings.decode(mapping), problems.errors)
    }

    @Test func everyKeyIsRead() throws {
        let (settings, errors) = decode(
            """
            namespace: mesh
            mode: inline
            hosts: ["{service}.{namespace}.global", "{service}.{app}"]
            exportTo: [".", "team-a"]
            routeStatuses: [UP, TESTING]
            protocols: {highway: TLS}
            defaultProtocol: HTTP
            apiVersion: networking.istio.io/v1beta1
            labels: {team: platform}
            inlineEndpointLimit: 100
            """)
        #expect(errors.isEmpty)
        let value = try #require(settings)
        #expect(value.namespace == "mesh")
        #expect(value.mode == .inline)
        #expect(value.hosts.map(\.template) == ["{service}.{namespace}.global", "{service}.{app}"])
        #expect(value.exportTo == [".", "team-a"])
        #expect(value.routeStatuses == [.up, .testing])
        #expect(value.protocols.istioProtocol(scheme: "highway", tls: false) == "TLS")
        #expect(value.protocols.istioProtocol(scheme: "unknown", tls: false) == "HTTP")
        #expect(value.apiVersion == "networking.istio.io/v1beta1")
        #expect(value.extraLabels == ["team": "platform"])
        #expect(value.inlineEndpointLimit == 100)
    }

    @Test(arguments: [
        ("namespace: Istio_System", "render.namespace"),
        ("exportTo: [\"*\", \".\"]", "render.exportTo"),
        ("exportTo: [\"a\", \"a\"]", "render.exportTo"),
        ("exportTo: [\"bad_ns\"]", "render.exportTo"),
        ("protocols: {highway: SOAP}", "render.protocols"),
        ("labels: {\"bad key\": x}", "render.labels"),
        ("inlineEndpointLimit: 5000", "render.inlineEndpointLimit"),
        ("hosts: []", "render.hosts"),
        ("routeStatuses: [SLEEPING]", "render.routeStatuses[0]"),
    ])
    func invalidSettingsAreRejectedAtTheirKey(yaml: String, path: String) {
        let problems = ConfigProblems(file: "bridge.yaml")
        let root = ConfigNode.parse(yaml: yaml, problems: problems)!
        let node = ConfigNode(node: root.node, path: "render", problems: problems)
        let settings = node.mapping(allowedKeys: IstioRenderSettings.configKeys).flatMap(IstioRenderSettings.decode)
        #expect(settings == nil)
        #expect(problems.errors.map(\.path) == [path])
    }
}
