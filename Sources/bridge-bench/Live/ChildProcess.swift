import Foundation
import Synchronization

/// A helper program the benchmark starts (a simulator, kubectl), with its output lines readable as they come.
final class ChildProcess: Sendable {
    private let process: Process
    private let lines = LineBuffer()

    /// Starts `executable` (a path, or a name looked up in `PATH`).
    init(_ executable: String, _ arguments: [String]) throws {
        let process = Process()
        if executable.contains("/") {
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = arguments
        } else {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = [executable] + arguments
        }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        self.process = process
        let handle = pipe.fileHandleForReading
        let lines = self.lines
        try process.run()
        Thread.detachNewThread {
            var buffer = Data()
            while true {
                let chunk = handle.availableData
                if chunk.isEmpty { break }
                buffer.append(chunk)
                while let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                    let line = String(decoding: buffer[buffer.startIndex..<newline], as: UTF8.self)
                    buffer.removeSubrange(buffer.startIndex...newline)
                    lines.append(line)
                }
            }
        }
    }

    /// Waits (polling) for an output line containing `text`; `nil` if the process ended or `limit` passed.
    func waitForLine(containing text: String, limit: Duration = .seconds(120)) async -> String? {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            if let line = lines.first(containing: text) { return line }
            if !process.isRunning { return nil }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return nil
    }

    /// Waits for the process to exit and returns its status.
    func wait() async -> Int32 {
        while process.isRunning { try? await Task.sleep(for: .milliseconds(20)) }
        return process.terminationStatus
    }

    /// Everything printed so far.
    var output: String { lines.joined }

    /// Sends SIGTERM.
    func stop() {
        if process.isRunning { process.terminate() }
    }

    /// The path of a program built next to this benchmark (`bridge-sim`).
    static func sibling(_ name: String) -> String {
        URL(fileURLWithPath: CommandLine.arguments[0]).absoluteURL.deletingLastPathComponent()
            .appendingPathComponent(name).path
    }
}

/// Output lines shared between the reader thread and the benchmark.
final class LineBuffer: Sendable {
    private let lines = Mutex<[String]>([])

    func append(_ line: String) { lines.withLock { $0.append(line) } }
    func first(containing text: String) -> String? { lines.withLock { $0.first { $0.contains(text) } } }
    var joined: String { lines.withLock { $0.joined(separator: "\n") } }
}
