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
    ///
    /// Each line is looked at once, as it arrives: a seeded simulator prints a line per registered instance
    /// (110 000 at 10 000 services), and rescanning them all on every poll made start-up quadratic.
    func waitForLine(containing text: String, limit: Duration = .seconds(120)) async -> String? {
        let deadline = ContinuousClock.now + limit
        let watch = lines.watch(for: text)
        while ContinuousClock.now < deadline {
            if let line = lines.match(watch) { return line }
            if !process.isRunning { return lines.match(watch) }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return nil
    }

    /// Waits for the process to exit and returns its status.
    func wait() async -> Int32 {
        while process.isRunning { try? await Task.sleep(for: .milliseconds(20)) }
        return process.terminationStatus
    }

    /// The last lines printed (at most ``LineBuffer/retainedLines``), for error messages.
    var output: String { lines.joined }

    /// CPU time (user and system) the process has used so far, in seconds, from `/proc/<pid>/stat`; 0 once it
    /// is gone.
    var cpuSeconds: Double {
        guard let stat = try? String(contentsOfFile: "/proc/\(process.processIdentifier)/stat", encoding: .utf8),
            let afterName = stat.lastIndex(of: ")")
        else { return 0 }
        // Fields after the command name: state is field 3, utime 14 and stime 15 (in clock ticks).
        let fields = stat[stat.index(after: afterName)...].split(separator: " ")
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return 0 }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

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

/// Output lines shared between the reader thread and the benchmark: the latest lines, and the first line that
/// contained each watched text.
final class LineBuffer: Sendable {
    /// How many of the latest lines are kept for ``joined``.
    static let retainedLines = 1000

    private struct State {
        var tail: [String] = []
        var watched: [(text: String, match: String?)] = []
    }
    private let state = Mutex(State())

    func append(_ line: String) {
        state.withLock { state in
            for index in state.watched.indices where state.watched[index].match == nil {
                if line.contains(state.watched[index].text) { state.watched[index].match = line }
            }
            state.tail.append(line)
            if state.tail.count > 2 * Self.retainedLines { state.tail.removeFirst(Self.retainedLines) }
        }
    }

    /// Starts watching for `text`, looking through the retained lines first; returns a handle for ``match(_:)``.
    func watch(for text: String) -> Int {
        state.withLock { state in
            state.watched.append((text, state.tail.first { $0.contains(text) }))
            return state.watched.count - 1
        }
    }

    /// The first line that contained the watched text, once one did.
    func match(_ watch: Int) -> String? { state.withLock { $0.watched[watch].match } }

    var joined: String { state.withLock { $0.tail.suffix(Self.retainedLines).joined(separator: "\n") } }
}
