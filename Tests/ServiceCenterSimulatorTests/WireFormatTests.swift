import Foundation
import Testing

@testable import ServiceCenterSimulator

/// Unit checks of the Go-compatible building blocks.
@Suite struct WireFormatTests {
    @Test func routePatternMatchesLikeServiceCenterRouter() {
        let pattern = RoutePattern("/v4/:project/registry/microservices/:serviceId")
        #expect(pattern.match("/v4/default/registry/microservices/abc") == ["project": "default", "serviceId": "abc"])
        #expect(pattern.match("/v4/default/registry/microservices/") == nil)
        #expect(pattern.match("/v4/default/registry/microservices/abc/instances") == nil)
        #expect(RoutePattern("/v4/:project/registry").match("/v4//registry") == ["project": ""])
        #expect(RoutePattern("/static/").match("/static/a/b") == [:])
    }

    @Test func goJSONEscapesLikeEncodingJSONAndSortsMapKeys() {
        let document = GoJSON.object([
            ("text", .string("<a&b>\u{2028}\"\\\n\u{01}")), ("map", .stringMap(["b": "2", "a": "1", "B": "0"])),
        ])
        #expect(
            document.serialized
                == #"{"text":"\u003ca\u0026b\u003e\u2028\"\\\n\u0001","map":{"B":"0","a":"1","b":"2"}}"#
        )
    }

    @Test func omitEmptyDropsZeroValuesButKeepsEmptyStructs() {
        let instance = MicroServiceInstance(instanceId: "i", healthCheck: HealthCheck())
        #expect(instance.jsonText == #"{"instanceId":"i","healthCheck":{}}"#)
    }

    @Test func sha1MatchesKnownVectors() {
        #expect(SHA1.hexDigest(Array("abc".utf8)) == "a9993e364706816aba3e25717850c26c9cd0d89d")
        #expect(SHA1.hexDigest([]) == "da39a3ee5e6b4b0d3255bfef95601890afd80709")
        #expect(
            SHA1.hexDigest(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
                == "84983e441c3bd26ebaae4aa1f95129e5e54670f1"
        )
    }

    @Test func fullSubscriberQueueDropsAllQueuedEventsAndKeepsTheNewest() async {
        let queue = WatchEventQueue(capacity: 5000)
        func event(_ n: Int) -> WatchEvent {
            WatchEvent(action: .update, key: MicroServiceKey(), instance: MicroServiceInstance(instanceId: "\(n)"))
        }
        for n in 0..<5000 { #expect(queue.push(event(n)) == 0) }
        #expect(queue.count == 5000)
        #expect(queue.push(event(5000)) == 5000)
        #expect(queue.count == 1)
        #expect(queue.droppedEvents == 5000)
        #expect(await queue.next()?.instance.instanceId == "5000")
    }

    @Test func eventLogKeepsTheLatestEventsInPublicationOrder() {
        let hub = EventHub(queueCapacity: 10, logLimit: 3)
        for n in 1...5 {
            hub.publish(
                WatchEvent(action: .update, key: MicroServiceKey(), instance: MicroServiceInstance(instanceId: "\(n)")),
                tenant: .default, consumerIds: [], date: Date(timeIntervalSince1970: 0))
        }
        #expect(hub.publishedEvents.map(\.sequence) == [3, 4, 5])
        #expect(hub.publishedEvents.map(\.event.instance.instanceId) == ["3", "4", "5"])
    }

    @Test func goDurationParsesGoSyntax() {
        #expect(GoDuration.parse("15m") == .seconds(900))
        #expect(GoDuration.parse("1h30m") == .seconds(5400))
        #expect(GoDuration.parse("1.5h") == .seconds(5400))
        #expect(GoDuration.parse("500ms") == .milliseconds(500))
        #expect(GoDuration.parse("12") == nil)
        #expect(GoDuration.parse("") == nil)
    }

    @Test func validatorPatternsFollowRE2Semantics() {
        #expect(GoPattern.name.matches("Payment_Gateway"))
        #expect(!GoPattern.name.matches("_x"))
        #expect(GoPattern.name.matches(""))
        #expect(GoPattern.environment.matches("productionproduction"))
        #expect(!GoPattern.environment.matches("prod"))
        #expect(GoPattern.version.matches("1.2.3.4"))
        #expect(!GoPattern.version.matches("1.2.3.4.5"))
        #expect(!GoPattern.version.matches("40000"))
        #expect(GoPattern.endpoint.matches(" x "))
        #expect(!GoPattern.nonSpace.matches("a b"))
    }
}
