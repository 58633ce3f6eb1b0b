import BridgeKernel
import KubernetesAPI
import Testing

@Suite struct ClientMechanicsTests {
    @Test func tokenBucketLetsABurstThroughThenSpacesRequestsAtTheRate() {
        var bucket = TokenBucket(rate: 10, burst: 3)
        let burst = (0..<3).map { _ in bucket.reserve(at: .zero) }
        #expect(burst == [.zero, .zero, .zero])
        #expect(bucket.reserve(at: .zero) == .milliseconds(100))
        #expect(bucket.reserve(at: .zero) == .milliseconds(200))
        // After a quiet second the bucket is full again, but never above its burst.
        #expect(bucket.reserve(at: .seconds(10)) == .zero)
        #expect(bucket.reserve(at: .seconds(10)) == .zero)
        #expect(bucket.reserve(at: .seconds(10)) == .zero)
        #expect(bucket.reserve(at: .seconds(10)) == .milliseconds(100))
    }

    @Test func disabledTokenBucketNeverWaits() {
        var bucket = TokenBucket(rate: 0, burst: 1)
        #expect((0..<100).allSatisfy { _ in bucket.reserve(at: .zero) == .zero })
    }

    @Test func watchDecoderReassemblesEventsCutAnywhere() throws {
        let stream = """
            {"type":"ADDED","object":{"metadata":{"name":"a","resourceVersion":"5"}}}
            {"type":"BOOKMARK","object":{"metadata":{"resourceVersion":"7"}}}
            {"type":"ERROR","object":{"kind":"Status","code":410,"reason":"Expired"}}
            """
        let bytes = Array(stream.utf8)
        for cut in [1, 7, 40, 80, bytes.count - 1] {
            var decoder = WatchStreamDecoder()
            var events = try decoder.feed(Array(bytes[..<cut]))
            events += try decoder.feed(Array(bytes[cut...]))
            events += try decoder.finish()
            #expect(events.map(\.kind) == [.added, .bookmark, .error], "cut at \(cut)")
            #expect(events.map(\.resourceVersion) == ["5", "7", nil])
        }
    }

    @Test func watchDecoderRejectsALineThatIsNotAnEvent() {
        var decoder = WatchStreamDecoder()
        #expect(throws: KubernetesAPIError.self) { _ = try decoder.feed(Array("<html>\n".utf8)) }
    }

    @Test func resourcePathsFollowTheKubernetesLayout() {
        let se = APIResource.serviceEntries()
        #expect(
            se.collectionPath(namespace: "istio-system")
                == "/apis/networking.istio.io/v1/namespaces/istio-system/serviceentries")
        #expect(
            APIResource.leases.objectPath(namespace: "ns", name: "lock")
                == "/apis/coordination.k8s.io/v1/namespaces/ns/leases/lock")
        #expect(
            APIResource.forObject(apiVersion: "networking.istio.io/v1beta1", kind: "WorkloadEntry")?.version
                == "v1beta1")
        #expect(APIResource.forObject(apiVersion: "v1", kind: "ConfigMap") == nil)
    }

    @Test func pathSegmentsAreEscapedOnlyWhenTheyNeedIt() {
        let se = APIResource.serviceEntries()
        #expect(se.objectPath(namespace: "ns", name: "orders.shop-1_a~b").hasSuffix("/orders.shop-1_a~b"))
        #expect(se.objectPath(namespace: "ns", name: "a b/c?d").hasSuffix("/serviceentries/a%20b%2Fc%3Fd"))
        #expect(se.collectionPath(namespace: "ns ü").contains("/namespaces/ns%20%C3%BC/"))
    }
}
