import Foundation
import Testing

/// Runs the built `bridge` executable (and other real tools) as a user would.
struct CommandResult {
    var status: Int32
    var stdout: String
    var stderr: String
}

enum Tools {
    /// The `bridge` binary next to the test bundle, or `$BRIDGE_BINARY`.
    static var bridge: String {
        if let path = ProcessInfo.processInfo.environment["BRIDGE_BINARY"] { return path }
        let here = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for candidate in [here, here.deletingLastPathComponent()] {
            let path = candidate.appendingPathComponent("bridge").path
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return here.appendingPathComponent("bridge").path
    }

    /// The `bridge-sim` binary next to `bridge`.
    static var bridgeSim: String {
        URL(fileURLWithPath: bridge).deletingLastPathComponent().appendingPathComponent("bridge-sim").path
    }

    /// The repository root (for `examples/`).
    static var repositoryRoot: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().path
    }

    /// Runs a command to completion and captures its output.
    static func run(_ executable: String, _ arguments: [String], directory: String? = nil) throws -> CommandResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable.hasPrefix("/") ? executable : "/usr/bin/env")
        process.arguments = executable.hasPrefix("/") ? arguments : [executable] + arguments
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read both pipes concurrently so a chatty process cannot block on a full pipe.
        let errData = Mutexed(Data())
        let reader = Thread { errData.set(err.fileHandleForReading.readDataToEndOfFile()) }
        reader.start()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        while !errData.isSet { usleep(1000) }
        return CommandResult(
            status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData.value, as: UTF8.self))
    }
}

/// A value set once by another thread.
final class Mutexed<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value
    private var wasSet = false

    init(_ value: Value) { stored = value }

    func set(_ value: Value) {
        lock.lock()
        stored = value
        wasSet = true
        lock.unlock()
    }

    var isSet: Bool {
        lock.lock()
        defer { lock.unlock() }
        return wasSet
    }

    var value: Value {
        lock.lock()
        defer { lock.unlock() }
        return stored
    }
}

/// A fresh temporary directory.
func temporaryDirectory(_ prefix: String) throws -> String {
    let path = NSTemporaryDirectory() + "\(prefix)-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}
