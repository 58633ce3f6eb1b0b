import BridgeKernel
import Foundation
import KubeSimulator
import Testing

/// What every response carries and how request paths are read.
@Suite("response basics")
struct ResponseBasicsTests {
    @Test func everyResponseCarriesItsOwnLowerCaseVersion4AuditID() async throws {
        let fixture = try await SimulatorFixture.start()
        defer { Task { await fixture.stop() } }
        var ids: [String] = []
        for _ in 0..<3 { ids += try await fixture.http.get("/apis").values("Audit-Id") }
        let pattern = try NSRegularExpression(
            pattern: "^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
        #expect(ids.count == 3)
        #expect(Set(ids).count == 3)
        for id in ids {
            #expect(pattern.firstMatch(in: id, range: NSRange(id.startIndex..., in: id)) != nil, "\(id)")
        }
    }

    @Test func percentEscapesInThePathAreDecoded() async throws {
        let fixture = try await SimulatorFixture.start()
        defer { Task { await fixture.stop() } }
        let plain = try await fixture.http.get("/api/v1/namespaces/default")
        let escaped = try await fixture.http.get("/api/v1/namespaces/def%61ult")
        #expect(plain.status == 200)
        #expect(escaped.status == 200)
        #expect(escaped.json?["metadata"]?["name"] == "default")
    }
}
