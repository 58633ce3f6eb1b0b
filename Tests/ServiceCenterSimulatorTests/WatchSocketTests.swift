import BridgeKernel
import Foundation
import HummingbirdWSClient
import Logging
import NIOConcurrencyHelpers
import ServiceCenterSimulator
import Testing

/// §3: the watch WebSocket, observed at frame level with a raw client.
@Suite struct WatchSocketTests {
    private let registry = SimulatorHarness.registry

    /// A provider with one instance and a consumer that has found it (so it depends on it).
    private func watchedProvider(_ sim: SimulatorHarness) async throws -> (provider: String, consumer: String) {
        let provider = try await sim.createService(appId: "shop", name: "cart", environment: "production")
        let consumer = try await sim.createService(appId: "shop", name: "web", environment: "production")
        _ = try await sim.find(appId: "shop", name: "cart", consumerId: consumer)
        return (provider, consumer)
    }

    @Test func unknownConsumerGetsPlainTextFrameThenTCPDropWithoutCloseFrame() async throws {
        try await SimulatorHarness.with { (sim) async throws in
            let socket = try await RawWebSocket.connect(port: sim.port, path: sim.watchPath("0123456789abcdef"))
            #expect(socket.handshakeStatus == 101)
            let frames = try await socket.remainingFrames()
            #expect(
                frames == [
                    RawWebSocket.Frame(
                        fin: true, opcode: RawWebSocket.Frame.text, payload: Array("service does not exist".utf8))
                ])
        }
    }

    @Test func emptyConsumerIdGetsRequiredServiceIdFrame() async throws {
        try await SimulatorHarness.with { (sim) async throws in
            let socket = try await RawWebSocket.connect(port: sim.port, path: sim.watchPath(""))
            let frames = try await socket.remainingFrames()
            #expect(frames.map(\.text) == ["required the serviceID"])
        }
    }

    @Test func watchSendsNoInitialFrameAndFramesEventsInActionKeyInstanceOrder() async throws {
        try await SimulatorHarness.with { (sim) async throws in
            let (provider, consumer) = try await watchedProvider(sim)
            let socket = try await RawWebSocket.connect(port: sim.port, path: sim.watchPath(consumer))
            #expect(socket.handshakeStatus == 101)
            try await eventually("the socket is registered") { sim.simulator.openWatchSocketCount == 1 }

            let instance = try await sim.createInstance(
                serviceId: provider, hostName: "h1", endpoints: ["rest://1.1.1.1:8888"])
            // The first frame is the CREATE: nothing was sent on connect.
            let create = try #require(try await socket.nextFrame())
            #expect(create.opcode == RawWebSocket.Frame.text)
            #expect(
                create.text.hasPrefix(
                    #"{"action":"CREATE","key":{"tenant":"default/default","environment":"production","appId":"shop","serviceName":"cart","version":"1.0.0"},"instance":{"instanceId":"\#(instance)""#
                )
            )

            #expect(
                try await sim.put("\(registry)/microservices/\(provider)/instances/\(instance)/status?value=DOWN")
                    .status == 200)
            let update = try JSONValue.parse(try #require(try await socket.nextFrame()).text)
            #expect(update["action"]?.stringValue == "UPDATE")
            #expect(update["instance"]?["status"]?.stringValue == "DOWN")

            #expect(try await sim.delete("\(registry)/microservices/\(provider)/instances/\(instance)").status == 200)
            let delete = try JSONValue.parse(try #require(try await socket.nextFrame()).text)
            #expect(delete["action"]?.stringValue == "DELETE")
            // DELETE carries the last known full instance.
            #expect(delete["instance"]?["status"]?.stringValue == "DOWN")
            #expect(delete["instance"]?["endpoints"] == ["rest://1.1.1.1:8888"])
        }
    }

    @Test func heartbeatProducesNoWatchFrame() async throws {
        try await SimulatorHarness.with { (sim) async throws in
            let (provider, consumer) = try await watchedProvider(sim)
            let instance = try await sim.createInstance(serviceId: provider, hostName: "h1", endpoints: [])
            let socket = try await RawWebSocket.connect(port: sim.port, path: sim.watchPath(consumer))
            try await eventually("the socket is registered") { sim.simulator.openWatchSocketCount == 1 }
            let base = "\(registry)/microservices/\(provider)/instances/\(instance)"
            #expect(try await sim.put("\(base)/heartbeat").status == 200)
            #expect(try await sim.put("\(base)/properties", #"{"properties":{"k":"v"}}"#).status == 200)
            // The next frame is the properties UPDATE, so the heartbeat produced nothing.
            let frame = try JSONValue.parse(try #require(try await socket.nextFrame()).text)
            #expect(frame["action"]?.stringValue == "UPDATE")
            #expect(frame["instance"]?["properties"] == ["k": "v"])
        }
    }

    @Test func serverPingsUntilClientPingsFirstThenOnlyAnswersWithPongs() async throws {
        let watch = WatchSettings(pingInterval: .milliseconds(30), readTimeout: .seconds(60))
        try await SimulatorHarness.with(watch: watch) { (sim) async throws in
            let (_, consumer) = try await watchedProvider(sim)
            let socket = try await RawWebSocket.connect(port: sim.port, path: sim.watchPath(consumer))
            let ping = try #require(try await socket.nextFrame())
            #expect(ping.opcode == RawWebSocket.Frame.ping)
            #expect(ping.payload.isEmpty)

            try await socket.send(opcode: RawWebSocket.Frame.ping, payload: Array("hi".utf8))
            var sawPong = false
            while !sawPong, let frame = try await socket.nextFrame() {
                if frame.opcode == RawWebSocket.Frame.pong {
                    // gorilla's handler answers with an empty payload.
                    #expect(frame.payload.isEmpty)
                    sawPong = true
                }
            }
            #expect(sawPong)
            let pingsAfterClientPing = try #require(sim.simulator.openWatchSockets.first).pingsSent
            let ticks = try #require(sim.simulator.openWatchSockets.first).pingTicks
            try await eventually("several more ping-timer ticks") {
                (sim.simulator.openWatchSockets.first?.pingTicks ?? 0) >= ticks + 5
            }
            let info = try #require(sim.simulator.openWatchSockets.first)
            #expect(info.clientPinged)
            #expect(info.pingsSent == pingsAfterClientPing)
            #expect(info.pongsSent == 1)
        }
    }

    @Test func watchIsDroppedAfterReadTimeoutWithoutCloseFrame() async throws {
        let watch = WatchSettings(pingInterval: .seconds(60), readTimeout: .milliseconds(200))
        try await SimulatorHarness.with(watch: watch) { (sim) async throws in
            let (_, consumer) = try await watchedProvider(sim)
            let socket = try await RawWebSocket.connect(port: sim.port, path: sim.watchPath(consumer))
            // The client stays silent: the server drops TCP without any frame.
            let frames = try await socket.remainingFrames()
            #expect(frames.isEmpty)
            try await eventually("the socket is unregistered") { sim.simulator.openWatchSocketCount == 0 }
        }
    }

    @Test func clientCloseFrameIsEchoedWithSameCodeAndReason() async throws {
        try await SimulatorHarness.with { (sim) async throws in
            let (_, consumer) = try await watchedProvider(sim)
            let socket = try await RawWebSocket.connect(port: sim.port, path: sim.watchPath(consumer))
            try await socket.sendClose(code: 4000, reason: "bye now")
            let frames = try await socket.remainingFrames()
            #expect(frames.count == 1)
            #expect(frames.first?.opcode == RawWebSocket.Frame.close)
            #expect(frames.first?.closeCode == 4000)
            #expect(frames.first?.closeReason == "bye now")
        }
    }

    @Test func dataMessageOverReadLimitGetsClose1009() async throws {
        try await SimulatorHarness.with { (sim) async throws in
            let (_, consumer) = try await watchedProvider(sim)
            let socket = try await RawWebSocket.connect(port: sim.port, path: sim.watchPath(consumer))
            // 64 bytes are fine: the connection still answers a ping afterwards.
            try await socket.sendText(String(repeating: "a", count: 64))
            try await socket.send(opcode: RawWebSocket.Frame.ping)
            #expect(try await socket.nextFrame()?.opcode == RawWebSocket.Frame.pong)
            try await socket.sendText(String(repeating: "a", count: 65))
            let frames = try await socket.remainingFrames()
            #expect(frames.map(\.opcode) == [RawWebSocket.Frame.close])
            #expect(frames.first?.closeCode == 1009)
        }
    }

    @Test func plainGetOnWatcherWithoutUpgradeIs400() async throws {
        try await SimulatorHarness.with { (sim) async throws in
            let (_, consumer) = try await watchedProvider(sim)
            let answer = try await sim.get(sim.watchPath(consumer))
            #expect(answer.status == 400)
            #expect(answer.body == "Bad Request\n")
            #expect(answer.header("Sec-Websocket-Version") == "13")
        }
    }

    @Test func standardWebSocketClientReceivesEventFrames() async throws {
        try await SimulatorHarness.with { (sim) async throws in
            let (provider, consumer) = try await watchedProvider(sim)
            let received = NIOLockedValueBox<[String]>([])
            let simulator = sim.simulator
            _ = try await WebSocketClient.connect(
                url: "ws://127.0.0.1:\(sim.port)\(sim.watchPath(consumer))",
                logger: Logger(label: "watch-test")
            ) { inbound, outbound, _ in
                try await eventually("the socket is registered") { simulator.openWatchSocketCount == 1 }
                let instance = try await simulator.registerInstance(
                    MicroServiceInstance(serviceId: provider, endpoints: ["rest://[::1]:80"], hostName: "v6")
                )
                try await simulator.setInstanceStatus("OUTOFSERVICE", serviceId: provider, instanceId: instance)
                var messages = inbound.messages(maxSize: 1 << 16).makeAsyncIterator()
                while received.withLockedValue({ $0.count }) < 2, let message = try await messages.next() {
                    if case .text(let text) = message { received.withLockedValue { $0.append(text) } }
                }
                try await outbound.close(.normalClosure, reason: nil)
            }
            let actions = try received.withLockedValue { $0 }.map { try JSONValue.parse($0)["action"]?.stringValue }
            #expect(actions == ["CREATE", "UPDATE"])
        }
    }

    @Test func eventsOnlyReachConsumersThatDependOnTheProvider() async throws {
        try await SimulatorHarness.with { (sim) async throws in
            let (provider, consumer) = try await watchedProvider(sim)
            let bystander = try await sim.createService(appId: "shop", name: "other", environment: "production")
            let watching = try await RawWebSocket.connect(port: sim.port, path: sim.watchPath(consumer))
            _ = try await RawWebSocket.connect(port: sim.port, path: sim.watchPath(bystander))
            try await eventually("both sockets are registered") { sim.simulator.openWatchSocketCount == 2 }
            _ = try await sim.createInstance(serviceId: provider, hostName: "h", endpoints: [])
            #expect(try JSONValue.parse(try #require(try await watching.nextFrame()).text)["action"] == "CREATE")
            let published = try #require(sim.simulator.publishedEvents.last)
            #expect(published.consumerIds == [consumer])
            #expect(published.deliveredSockets == 1)
        }
    }
}
