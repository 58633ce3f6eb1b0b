import BridgeKernel
import IstioMapping
import Testing

@Suite struct ObjectNamingTests {
    func name(_ service: String, app: String = "shop", environment: String = "", domain: String = "default") -> String {
        ObjectNaming.serviceEntryName(
            for: ServiceKey(source: "sc", domain: domain, environment: environment, app: app, name: service))
    }

    @Test func cleanNamesStayReadable() {
        #expect(name("orders") == "orders.shop")
        #expect(name("orders", environment: "production") == "orders.shop.production")
    }

    @Test func namesDifferingOnlyInCaseOrUnderscoreGetDistinctValidNames() {
        let variants = [
            name("Orders"), name("orders"), name("ORDERS"), name("or_ders"), name("or-ders"), name("or.ders"),
        ]
        #expect(Set(variants).count == variants.count)
        for variant in variants { #expect(KubernetesNames.isDNSSubdomain(variant), "\(variant)") }
        #expect(variants.allSatisfy { $0.utf8.count <= 63 })
    }

    @Test func sameServiceInDifferentAppsOrEnvironmentsOrDomainsNeverCollide() {
        let names = [
            name("orders", app: "shop"), name("orders", app: "billing"), name("orders", environment: "production"),
            name("orders", environment: "development"), name("orders", domain: "tenant/default"),
        ]
        #expect(Set(names).count == names.count)
    }

    @Test func separatorAmbiguityDoesNotCollide() {
        // "a-b" + "c" versus "a" + "b-c": dots separate the parts, so these stay apart.
        #expect(name("a-b", app: "c") != name("a", app: "b-c"))
    }

    @Test func longNamesAreCutAndHashedWithinSixtyThreeCharacters() {
        let long = String(repeating: "service", count: 20)
        let result = name(long)
        #expect(result.utf8.count <= 63)
        #expect(KubernetesNames.isDNSSubdomain(result))
        #expect(result != name(long + "x"))
    }

    @Test func namesAreStableAcrossCalls() {
        #expect(name("Payment_Service") == "payment-service.shop-a0adfb82")
    }

    @Test func workloadEntryNamesAreValidAndDistinct() {
        let se = name("orders")
        let clean = ObjectNaming.workloadEntryName(serviceEntryName: se, instanceID: "b4c9e57f211311e8a831286ed488fc1b")
        #expect(clean == "orders.shop.b4c9e57f211311e8a831286ed488fc1b")
        let eurekaStyle = ObjectNaming.workloadEntryName(serviceEntryName: se, instanceID: "10.0.0.1:orders:8080")
        let other = ObjectNaming.workloadEntryName(serviceEntryName: se, instanceID: "10.0.0.1-orders-8080")
        #expect(eurekaStyle != other)
        #expect(KubernetesNames.isDNSSubdomain(eurekaStyle))
    }

    @Test(arguments: [
        ("A,B", "A-B"), ("-x-", "x"), (String(repeating: "v", count: 80), String(repeating: "v", count: 63)),
        ("ok_1.2", "ok_1.2"),
    ])
    func labelValuesAreMadeValid(input: String, expected: String) {
        #expect(KubernetesNames.labelValue(input) == expected)
        #expect(KubernetesNames.isLabelValue(expected))
    }

    @Test(arguments: [
        ("app", true), ("meshbridge.io/service", true), ("_TAGS", false), ("a/b/c", false), ("Bad Key", false),
    ])
    func labelKeys(key: String, valid: Bool) {
        #expect(KubernetesNames.isLabelKey(key) == valid)
    }
}
