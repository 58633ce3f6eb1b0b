import Foundation
import Testing

@testable import IstioSchemaValidation

/// Finding `shared/istio-crds` next to the checkout.
@Suite struct IstioCRDLocationTests {
    /// `<tmp>/<uuid>/{checkout/Tests/X.swift, shared/istio-crds/serviceentry.crd.yaml}`.
    private func makeLayout() throws -> (root: URL, crds: String, testFile: String) {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("crd-location-\(UUID().uuidString)")
        let crds = root.appendingPathComponent("shared/istio-crds")
        let tests = root.appendingPathComponent("checkout/Tests")
        try FileManager.default.createDirectory(at: crds, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: tests, withIntermediateDirectories: true)
        try Data().write(to: crds.appendingPathComponent("serviceentry.crd.yaml"))
        return (root, crds.path, tests.appendingPathComponent("X.swift").path)
    }

    @Test func searchesUpwardFromTheSourceFile() throws {
        let layout = try makeLayout()
        defer { try? FileManager.default.removeItem(at: layout.root) }
        #expect(
            IstioCRDLocation.directory(environment: [:], currentDirectory: "/", filePath: layout.testFile)
                == layout.crds)
    }

    @Test func searchesUpwardFromTheCurrentDirectoryFirst() throws {
        let layout = try makeLayout()
        defer { try? FileManager.default.removeItem(at: layout.root) }
        let current = layout.root.appendingPathComponent("checkout").path
        #expect(
            IstioCRDLocation.directory(environment: [:], currentDirectory: current, filePath: "/x.swift") == layout.crds
        )
    }

    @Test func environmentVariableWinsAndMustContainTheCRDs() throws {
        let layout = try makeLayout()
        defer { try? FileManager.default.removeItem(at: layout.root) }
        #expect(
            IstioCRDLocation.directory(
                environment: ["ISTIO_CRDS_DIR": layout.crds], currentDirectory: "/", filePath: "/x.swift")
                == layout.crds)
        #expect(
            IstioCRDLocation.directory(
                environment: ["ISTIO_CRDS_DIR": layout.root.path], currentDirectory: layout.root.path,
                filePath: layout.testFile) == nil)
    }

    @Test func nothingFoundIsNil() {
        #expect(IstioCRDLocation.directory(environment: [:], currentDirectory: "/", filePath: "/x.swift") == nil)
    }
}
