import Foundation
import Testing

/// A `bridge` process running in the background, whose log lines the test can wait for.
final class RunningBridge: @unchecked Sendable {
    let process = Process()
    private let lines: AsyncStream<String>
    private var iterator: AsyncStream<String>.Iterator
    private(set) var log: [String] = []

    init(arguments: [String], executable: String = Tools.bridge) throws {
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardError = pipe
        process.standardOutput = pipe
        let (stream, continuation) = AsyncStream.makeStream(of: String.self)
        lines = stream
        iterator = stream.makeAsyncIterator()
        let handle = pipe.fileHandleForReading
        let reader = Thread {
            var buffer = Data()
            while true {
                let chunk = handle.availableData
                if chunk.isEmpty { break }
                buffer.append(chunk)
                while let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                    continuation.yield(String(decoding: buffer[buffer.startIndex..<newline], as: UTF8.self))
                    buffer.removeSubrange(buffer.startIndex...newline)
                }
            }
            continuation.finish()
        }
        try process.run()
        reader.start()
    }

    /// Reads log lines until one contains `text`; returns it, or `nil` if the process ended first.
    func waitForLine(containing text: String) async -> String? {
        while let line = await iterator.next() {
            log.append(line)
            if line.contains(text) { return line }
        }
        return nil
    }

    /// Sends SIGTERM and waits for the exit status, draining the log.
    func terminate() async -> Int32 {
        process.terminate()
        while let line = await iterator.next() { log.append(line) }
        process.waitUntilExit()
        return process.terminationStatus
    }
}
