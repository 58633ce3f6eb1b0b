import BridgeKernel
import Foundation
import IstioMapping
import Logging
import SinkFile
import Testing

@Suite struct FileSinkTests {
    let directory: String

    init() throws {
        directory = NSTemporaryDirectory() + "filesink-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    func sink(_ configure: (inout FileSinkSettings) -> Void = { _ in }) -> FileSink {
        var settings = FileSinkSettings(directory: directory)
        configure(&settings)
        return FileSink(
            name: "file", settings: settings, logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
    }

    func state(_ services: [(String, Int)], pruneAllowed: Bool = true) -> DesiredState {
        let renderer = IstioRenderer()
        var groups: [String: ObjectGroup] = [:]
        for (name, count) in services {
            let service = Service(
                key: ServiceKey(source: "sc", app: "shop", name: name),
                instances: (0..<count).map {
                    Instance(
                        id: "\(name)-\($0)", endpoints: [Endpoint(scheme: "rest", host: "10.0.1.\($0 + 1)", port: 8080)]
                    )
                })
            let group = renderer.render(service).group!
            groups[group.id] = group
        }
        return DesiredState(groups: groups, pruneAllowed: pruneAllowed)
    }

    func files() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
    }

    func read(_ file: String) throws -> String {
        try String(contentsOfFile: "\(directory)/\(file)", encoding: .utf8)
    }

    @Test func writesOneFilePerServiceAndAKustomization() async throws {
        let report = try await sink().apply(state([("orders", 2), ("payments", 1)]))
        #expect(report.created == 2)
        #expect(try files() == ["kustomization.yaml", "orders.shop.yaml", "payments.shop.yaml"])
        let kustomization = try read("kustomization.yaml")
        #expect(kustomization.contains("resources:\n- orders.shop.yaml\n- payments.shop.yaml\n"))
        let orders = try read("orders.shop.yaml")
        #expect(orders.hasPrefix(FileSink.ownershipMarker + "\n"))
        #expect(orders.components(separatedBy: "\n---\n").count == 4)  // header + SE + 2 WE
    }

    @Test func outputIsByteForByteDeterministicAcrossRuns() async throws {
        _ = try await sink().apply(state([("orders", 3), ("payments", 1)]))
        let first = try files().map { try read($0) }
        try FileManager.default.removeItem(atPath: directory)
        _ = try await sink().apply(state([("payments", 1), ("orders", 3)]))
        #expect(try files().map { try read($0) } == first)
    }

    @Test func unchangedStateWritesNothing() async throws {
        let target = sink()
        _ = try await target.apply(state([("orders", 2)]))
        let before =
            try FileManager.default.attributesOfItem(atPath: "\(directory)/orders.shop.yaml")[.systemFileNumber] as? Int
        let report = try await target.apply(state([("orders", 2)]))
        #expect(report.writes == 0)
        #expect(report.unchanged == 1)
        let after =
            try FileManager.default.attributesOfItem(atPath: "\(directory)/orders.shop.yaml")[.systemFileNumber] as? Int
        #expect(before == after)
    }

    @Test func restartedSinkRecognisesItsEarlierFilesAndWritesNothingNew() async throws {
        _ = try await sink().apply(state([("orders", 2)]))
        let report = try await sink().apply(state([("orders", 2)]))
        #expect(report.writes == 0)
    }

    @Test func changedFilesAreReplacedAtomicallyByRename() async throws {
        let target = sink()
        _ = try await target.apply(state([("orders", 1)]))
        let path = "\(directory)/orders.shop.yaml"
        let before = try FileManager.default.attributesOfItem(atPath: path)[.systemFileNumber] as? Int
        let report = try await target.apply(state([("orders", 2)]))
        #expect(report.updated == 1)
        let after = try FileManager.default.attributesOfItem(atPath: path)[.systemFileNumber] as? Int
        // A new inode means the old file was replaced in one rename, never rewritten in place.
        #expect(before != after)
        #expect(try files().allSatisfy { !$0.hasPrefix(".") })
    }

    @Test func prunesOwnedFilesOfVanishedServicesAndLeavesOtherFilesAlone() async throws {
        try "# my notes\n".write(toFile: "\(directory)/README.md", atomically: true, encoding: .utf8)
        try "apiVersion: v1\nkind: ConfigMap\n".write(
            toFile: "\(directory)/handwritten.yaml", atomically: true, encoding: .utf8)
        let target = sink()
        _ = try await target.apply(state([("orders", 1), ("payments", 1)]))
        let report = try await target.apply(state([("orders", 1)]))
        #expect(report.deleted == 1)
        #expect(try files() == ["README.md", "handwritten.yaml", "kustomization.yaml", "orders.shop.yaml"])
        #expect(try !read("kustomization.yaml").contains("payments"))
    }

    @Test func nothingIsPrunedWhilePruningIsHeldBack() async throws {
        let target = sink()
        _ = try await target.apply(state([("orders", 1), ("payments", 1)]))
        let report = try await target.apply(state([("orders", 1)], pruneAllowed: false))
        #expect(report.deleted == 0)
        #expect(try files().contains("payments.shop.yaml"))
        #expect(try read("kustomization.yaml").contains("payments.shop.yaml"))
    }

    @Test func aForeignFileWithTheSameNameIsNotOverwritten() async throws {
        try "mine\n".write(toFile: "\(directory)/orders.shop.yaml", atomically: true, encoding: .utf8)
        let report = try await sink().apply(state([("orders", 1), ("payments", 1)]))
        #expect(report.created == 1)
        #expect(report.failures.count == 1)
        #expect(report.failures.first?.contains("orders.shop.yaml") == true)
        #expect(try read("orders.shop.yaml") == "mine\n")
    }

    @Test func kustomizationCanBeTurnedOff() async throws {
        _ = try await sink { $0.kustomization = false }.apply(state([("orders", 1)]))
        #expect(try files() == ["orders.shop.yaml"])
    }

    @Test func commitsEachChangeToGitWithADescriptiveMessage() async throws {
        func git(_ arguments: String...) throws -> String {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["git", "-C", directory] + arguments
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = pipe
            try process.run()
            let data = pipe.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return String(decoding: data, as: UTF8.self)
        }
        _ = try git("init", "-q")
        try "# notes\n".write(toFile: "\(directory)/README.md", atomically: true, encoding: .utf8)
        let target = sink { $0.gitCommit = true }
        _ = try await target.apply(state([("orders", 1), ("payments", 1)]))
        _ = try await target.apply(state([("orders", 2)]))
        _ = try await target.apply(state([("orders", 2)]))
        let log = try git("log", "--format=%s")
        #expect(
            log
                == "meshbridge: 0 created, 1 updated, 1 deleted (push #1)\nmeshbridge: 2 created, 0 updated, 0 deleted (push #1)\n"
        )
        // The user's untracked README is neither committed nor touched.
        #expect(try git("status", "--porcelain") == "?? README.md\n")
    }
}
