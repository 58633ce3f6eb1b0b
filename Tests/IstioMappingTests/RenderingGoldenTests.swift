import BridgeKernel
import Foundation
import IstioMapping
import Testing

/// Pins the renderer's complete output — every object and every diagnostic — for a varied, seeded corpus of
/// services under several settings, so optimisations of the renderer cannot change what reaches the mesh.
///
/// The expected output lives in `Tests/Fixtures/rendering/istio-golden.jsonl`. After an intended mapping change,
/// regenerate it with `MESHBRIDGE_RECORD_GOLDEN=1 swift test --filter RenderingGoldenTests` and review the diff.
@Suite struct RenderingGoldenTests {
    static let goldenPath = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../Fixtures/rendering/istio-golden.jsonl").standardizedFileURL.path

    @Test func renderedCorpusMatchesTheGoldenFile() throws {
        let rendered = Self.renderCorpus()
        if ProcessInfo.processInfo.environment["MESHBRIDGE_RECORD_GOLDEN"] == "1" {
            try FileManager.default.createDirectory(
                atPath: (Self.goldenPath as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try rendered.joined(separator: "\n").appending("\n").write(
                toFile: Self.goldenPath, atomically: true, encoding: .utf8)
        }
        let golden = try String(contentsOfFile: Self.goldenPath, encoding: .utf8)
            .split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
        #expect(rendered.count == golden.count)
        for (index, (line, expected)) in zip(rendered, golden).enumerated() where line != expected {
            Issue.record("line \(index + 1) differs:\n  got      \(line)\n  expected \(expected)")
            break
        }
    }

    /// One line per rendered service: the settings variant, then the group (or null) and the diagnostics.
    static func renderCorpus() -> [String] {
        var lines: [String] = []
        for (variant, settings) in settingsVariants() {
            let renderer = IstioRenderer(settings: settings)
            var generator = ServiceGenerator(seed: 0x676f_6c64_656e + UInt64(lines.count))
            for _ in 0..<60 {
                let result = renderer.render(generator.service())
                let group: JSONValue =
                    result.group.map { group in
                        [
                            "id": .string(group.id), "service": .string(group.service.description),
                            "objects": .array(group.objects.map(\.document)),
                            "names": .array(group.objects.map { .string($0.description) }),
                        ]
                    } ?? nil
                let entry: JSONValue = [
                    "variant": .string(variant), "group": group,
                    "diagnostics": .array(
                        result.diagnostics.map { .string("\($0.severity.rawValue) \($0.description)") }),
                ]
                lines.append(entry.canonicalJSON)
            }
        }
        return lines
    }

    static func settingsVariants() -> [(String, IstioRenderSettings)] {
        var inline = IstioRenderSettings()
        inline.mode = .inline
        inline.inlineEndpointLimit = 4
        var custom = IstioRenderSettings()
        custom.namespace = "mesh"
        custom.exportTo = [".", "istio-system"]
        custom.extraLabels = ["team": "payments", "tier": "backend"]
        custom.routeStatuses = [.up, .starting]
        custom.protocols = ProtocolMapping(overrides: ["highway": "grpc", "Custom": "http2"], defaultProtocol: "tls")
        custom.apiVersion = "networking.istio.io/v1beta1"
        custom.hosts = [
            try! HostTemplate.parse("{service}.{app}.{env}.svc").get(),
            try! HostTemplate.parse("{service}.{namespace}.{domain}.{source}.global").get(),
        ]
        return [("default", IstioRenderSettings()), ("inline", inline), ("custom", custom)]
    }
}

/// Deterministic registry services covering the mapping's branches: names that need hashing, statuses, several
/// addresses per instance, TLS, unknown schemes, clashing protocols on one port, host names (DNS), IPv6,
/// instances without endpoints, metadata with invalid keys and values, and mesh overrides.
struct ServiceGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    /// SplitMix64.
    private mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var value = state
        value = (value ^ (value >> 30)) &* 0xbf58_476d_1ce4_e5b9
        value = (value ^ (value >> 27)) &* 0x94d0_49bb_1331_11eb
        return value ^ (value >> 31)
    }

    private mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }

    private mutating func pick<T>(_ options: [T]) -> T { options[below(options.count)] }

    private static let names = [
        "orders", "Orders_Service", "payment.gateway", "x", "UPPER",
        "svc-with-a-very-long-name-that-goes-beyond-limits-of-dns",
        "-dash-", "日本", "a_b", "inventory",
    ]
    private static let apps = ["shop", "", "Shop_App", "billing", "app.with.dots"]
    private static let environments = ["", "production", "Dev", "qa_1"]
    private static let domains = ["default", "default/default", "", "tenant/project"]
    private static let schemes = ["rest", "highway", "grpc", "https", "custom", "Custom", "tcp", "h2c", "udp"]
    private static let statuses: [InstanceStatus] = [.up, .up, .up, .down, .starting, .outOfService, .testing]
    private static let metadataKeys = [
        "zone", "tier", "bad key", "example.com/owner", "Bad_Domain/x", "/empty", "a/b/c", "", "ok-key.1",
    ]
    private static let metadataValues = [
        "z1", "", "has spaces", "-trim-", String(repeating: "v", count: 70), "ü", "ok",
    ]

    mutating func service() -> Service {
        let key = ServiceKey(
            source: pick(["sc", "Eureka_1"]), domain: pick(Self.domains), environment: pick(Self.environments),
            app: pick(Self.apps), name: pick(Self.names) + (below(2) == 0 ? "" : "\(below(100))"))
        let instances = (0..<below(6)).map { _ in instance() }
        var mesh = MeshOverrides()
        switch below(6) {
        case 0: mesh = MeshOverrides(location: .meshExternal, resolution: .dns, hosts: ["db.example.com"])
        case 1:
            mesh = MeshOverrides(ports: [
                ServicePort(number: 9000, protocol: "GRPC"), ServicePort(number: 8080, protocol: "HTTP", name: "web"),
            ])
        case 2: mesh = MeshOverrides(hosts: ["Invalid Host"])
        default: break
        }
        return Service(key: key, instances: instances, mesh: mesh)
    }

    private mutating func instance() -> Instance {
        let hosts = ["10.0.\(below(3)).\(below(255))", "fe80::\(below(9))", "host-\(below(4)).example", "10.1.1.1"]
        let host = pick(hosts)
        var endpoints = (0..<below(4)).map { _ in
            Endpoint(
                scheme: pick(Self.schemes), host: below(6) == 0 ? pick(hosts) : host,
                port: pick([8080, 7070, 443, 9000]),
                tls: below(4) == 0)
        }
        if below(8) == 0 { endpoints = [] }
        var metadata: [String: String] = [:]
        for _ in 0..<below(4) { metadata[pick(Self.metadataKeys)] = pick(Self.metadataValues) }
        return Instance(
            id: pick(["i", "Inst_", "0123456789abcdef0123456789abcdef", "a.b"]) + "\(below(1000))",
            hostName: pick(["", "host-1", "Host Name"]), version: pick(["", "1.0.0", "2.0-beta+x"]),
            endpoints: endpoints, status: pick(Self.statuses), metadata: metadata, region: pick(["", "r1"]),
            zone: pick(["", "z1"]))
    }
}
