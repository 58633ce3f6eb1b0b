import Foundation

/// Paths of the committed test fixtures under `Tests/Fixtures`.
enum TestFixtures {
    /// `Tests/Fixtures`, located relative to this source file so tests run from any working directory.
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // Support
        .deletingLastPathComponent()  // BridgeTransportTests
        .deletingLastPathComponent()  // Tests
        .appendingPathComponent("Fixtures")

    /// The path of a file of the test PKI (`ca.pem`, `server.pem`, `server.key`, `client.pem`, `client.key`).
    static func tls(_ name: String) -> String {
        self.directory.appendingPathComponent("tls").appendingPathComponent(name).path
    }

    /// The bytes of a file of the test PKI.
    static func tlsBytes(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: self.tls(name))))
    }

    /// The path of a helper server script under `Tests/Fixtures/servers`.
    static func server(_ name: String) -> String {
        self.directory.appendingPathComponent("servers").appendingPathComponent(name).path
    }
}
