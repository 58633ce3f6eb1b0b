import BridgeKernel
import Logging
import SourceServiceCenter
import Testing

@Suite struct SettingsDecodingTests {
    func decode(_ yaml: String, environment: [String: String] = [:]) -> (ServiceCenterSourceSettings?, [ConfigError]) {
        let problems = ConfigProblems(file: "bridge.yaml")
        guard let root = ConfigNode.parse(yaml: yaml, problems: problems),
            let mapping = root.mapping(allowedKeys: ServiceCenterSourceSettings.configKeys)
        else { return (nil, problems.errors) }
        let context = PluginContext(
            logger: Logger(label: "test"), configDirectory: "/etc/bridge", environment: environment)
        return (ServiceCenterSourceSettings.decode(mapping, context: context), problems.errors)
    }

    @Test func defaultsFollowServiceCenter() throws {
        let (settings, errors) = decode("addresses: [\"http://127.0.0.1:30100/\"]")
        #expect(errors.isEmpty)
        let decoded = try #require(settings)
        #expect(decoded.addresses == ["http://127.0.0.1:30100"])
        #expect(decoded.project == "default")
        #expect(decoded.domain == "default")
        #expect(decoded.pollInterval == .seconds(5))
        #expect(decoded.resyncInterval == .seconds(60))
        #expect(decoded.authentication == .none)
    }

    @Test func fullSettingsResolvePathsAndReadThePasswordFromTheEnvironment() throws {
        let yaml = """
            addresses: ["https://sc-1:30100", "https://sc-2:30100"]
            project: shop
            domain: tenant-a
            pollInterval: 2s
            resyncInterval: 1m
            tls: {ca: ca.pem, cert: /pki/client.pem, key: /pki/client.key}
            auth: {user: root, passwordEnv: SC_PASSWORD}
            """
        let (settings, errors) = decode(yaml, environment: ["SC_PASSWORD": "hunter2"])
        #expect(errors.isEmpty)
        let decoded = try #require(settings)
        #expect(decoded.addresses.count == 2)
        #expect(decoded.tls.trustRoots == .file(path: "/etc/bridge/ca.pem"))
        #expect(decoded.authentication == .account(user: "root", password: .init("hunter2")))
        #expect("\(decoded.authentication)".contains("hunter2") == false)
    }

    @Test func errorsCarryTheirLineNumbers() {
        let yaml = """
            addresses: ["127.0.0.1:30100"]
            pollInterval: soon
            auth: {user: root}
            tls: {cert: c.pem}
            """
        let (settings, errors) = decode(yaml)
        #expect(settings == nil)
        #expect(errors.map(\.line).sorted() == [1, 2, 3, 4])
        #expect(errors.contains { $0.path == "addresses[0]" && $0.message.contains("http(s)://host:port") })
    }

    @Test func unknownKeysAreReported() {
        let (_, errors) = decode("addresses: [\"http://a:1\"]\npolInterval: 1s")
        #expect(errors.first?.code == .unknownKey)
        #expect(errors.first?.line == 2)
    }
}
