import Foundation
import Testing

/// `bridge --config examples/servicecenter.yaml` against `bridge-sim servicecenter`, both as built binaries over
/// loopback, exactly as the README shows.
@Suite struct ServiceCenterEndToEndTests {
    @Test func bridgeFollowsTheSimulatedServiceCenterIntoGitOpsManifests() async throws {
        let simulator = try RunningBridge(
            arguments: [
                "servicecenter", "--port", "0", "--seed", "\(Tools.repositoryRoot)/examples/servicecenter-seed.yaml",
            ],
            executable: Tools.bridgeSim)
        defer { simulator.process.terminate() }
        let listening = try #require(await simulator.waitForLine(containing: "simulator listening on http://"))
        let address = String(listening[listening.range(of: "http://")!.lowerBound...])

        let directory = try temporaryDirectory("sc-e2e")
        let example = try String(contentsOfFile: "\(Tools.repositoryRoot)/examples/servicecenter.yaml", encoding: .utf8)
        let config = example.replacingOccurrences(of: "http://127.0.0.1:30100", with: address)
            .replacingOccurrences(of: "pollInterval: 5s", with: "pollInterval: 200ms")
        #expect(config != example)
        try config.write(toFile: "\(directory)/bridge.yaml", atomically: true, encoding: .utf8)

        let bridge = try RunningBridge(arguments: ["--config", "\(directory)/bridge.yaml"])
        let first = await bridge.waitForLine(containing: "sink file: created")
        #expect(first?.contains("created 5, updated 0, deleted 0") == true, "\(bridge.log.joined(separator: "\n"))")
        let output = "\(directory)/servicecenter-output"
        let kustomize = try Tools.run("kubectl", ["kustomize", output])
        #expect(kustomize.status == 0, "\(kustomize.stderr)")
        try expectValidAgainstCRDs(kustomize.stdout)

        // A registry change made through Service Center's own API reaches the manifests.
        let change = try Tools.run("python3", ["-c", Self.setFirstCartInstanceDown, address])
        #expect(change.status == 0, "\(change.stderr)")
        let second = await bridge.waitForLine(containing: "sink file: created 0, updated 1")
        #expect(second != nil, "\(bridge.log.joined(separator: "\n"))")
        #expect(await bridge.terminate() == 0)
    }

    /// Sets the first instance of the `cart` service DOWN through the v4 REST API.
    static let setFirstCartInstanceDown = """
        import json, sys, urllib.request
        base = sys.argv[1] + "/v4/default/registry"
        services = json.load(urllib.request.urlopen(base + "/microservices"))["services"]
        cart = next(s for s in services if s["serviceName"] == "cart" and
                    any(True for _ in json.load(urllib.request.urlopen(
                        base + "/microservices/" + s["serviceId"] + "/instances")).get("instances", [])))
        instances = json.load(urllib.request.urlopen(base + "/microservices/" + cart["serviceId"] + "/instances"))["instances"]
        up = next(i for i in instances if i.get("status", "UP") == "UP")
        request = urllib.request.Request(
            base + "/microservices/" + cart["serviceId"] + "/instances/" + up["instanceId"] + "/status?value=DOWN",
            method="PUT")
        urllib.request.urlopen(request).read()
        """
}
