import BridgeKernel
import Testing

@Suite struct TransformTests {
    func service(app: String, name: String, environment: String = "", metadata: [String: String] = [:]) -> Service {
        Service(
            key: ServiceKey(source: "sc", environment: environment, app: app, name: name),
            instances: [Instance(id: "i1", endpoints: [], metadata: metadata)])
    }

    @Test(arguments: [
        ("orders*", "orders-v2", true), ("o?ders", "orders", true), ("*", "", true), ("a*c", "abd", false),
        ("shop", "shop2", false),
    ])
    func globPatternsMatchWholeNames(pattern: String, text: String, matches: Bool) {
        #expect(GlobPattern(pattern).matches(text) == matches)
    }

    @Test func filterKeepsIncludedAndDropsExcluded() {
        let filter = ServiceFilter(include: .init(apps: ["shop"]), exclude: .init(services: ["*-internal"]))
        #expect(filter.apply(to: service(app: "shop", name: "orders")) != nil)
        #expect(filter.apply(to: service(app: "shop", name: "audit-internal")) == nil)
        #expect(filter.apply(to: service(app: "billing", name: "orders")) == nil)
    }

    @Test func emptyFilterKeepsEverything() {
        #expect(ServiceFilter().apply(to: service(app: "any", name: "thing")) != nil)
    }

    @Test func filterByEnvironment() {
        let filter = ServiceFilter(include: .init(environments: ["production"]))
        #expect(filter.apply(to: service(app: "a", name: "b", environment: "production")) != nil)
        #expect(filter.apply(to: service(app: "a", name: "b", environment: "development")) == nil)
    }

    @Test func relabelDropsRenamesThenSets() {
        let relabel = MetadataRelabel(drop: ["_*"], rename: ["nodeIP": "node-ip"], set: ["team": "payments"])
        let result = relabel.apply(
            to: service(app: "a", name: "b", metadata: ["_TAGS": "A,B", "nodeIP": "one", "x": "y"]))
        #expect(result?.instances.first?.metadata == ["node-ip": "one", "x": "y", "team": "payments"])
    }
}
