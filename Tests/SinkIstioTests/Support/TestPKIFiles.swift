import Foundation

/// The long-lived loopback test PKI in `Tests/Fixtures/tls` (CA, server certificate for 127.0.0.1, client
/// certificate `CN=meshbridge-test-client`).
enum TestPKIFiles {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // Support
        .deletingLastPathComponent()  // SinkIstioTests
        .deletingLastPathComponent()  // Tests
        .appendingPathComponent("Fixtures/tls")

    static func path(_ name: String) -> String {
        directory.appendingPathComponent(name).path
    }
}
