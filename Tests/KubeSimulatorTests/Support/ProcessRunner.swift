import Foundation
import NIOConcurrencyHelpers

/// The result of a finished command.
struct CommandResult: Sendable {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// Runs external programs (kubectl, openssl) without blocking Swift concurrency's threads: output is read and
/// the exit awaited on dedicated threads.
final class RunningProcess: Sendable {
    private let process: Process
    private let output = NIOLockedValueBox((stdout: Data(), stderr: Data()))
    private let finishedReaders = NIOLockedValueBox(0)

    init(_ executable: String, _ arguments: [String], environment: [String: String] = [:], stdin: String? = nil) throws
    {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [executable] + arguments
        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let out = Pipe()
        let err = Pipe()
        let input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        self.process = process
        let box = output
        let finished = finishedReaders
        let outReader = Thread {
            while true {
                let chunk = out.fileHandleForReading.availableData
                if chunk.isEmpty { break }
                box.withLockedValue { $0.stdout.append(chunk) }
            }
            finished.withLockedValue { $0 += 1 }
        }
        let errReader = Thread {
            while true {
                let chunk = err.fileHandleForReading.availableData
                if chunk.isEmpty { break }
                box.withLockedValue { $0.stderr.append(chunk) }
            }
            finished.withLockedValue { $0 += 1 }
        }
        try process.run()
        outReader.start()
        errReader.start()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try? input.fileHandleForWriting.close()
    }

    /// Output so far.
    var stdout: String { output.withLockedValue { String(decoding: $0.stdout, as: UTF8.self) } }
    var stderr: String { output.withLockedValue { String(decoding: $0.stderr, as: UTF8.self) } }

    /// Sends SIGTERM.
    func terminate() {
        if process.isRunning { process.terminate() }
    }

    /// Waits for the exit (on a separate thread) and returns everything printed.
    func wait() async -> CommandResult {
        let process = self.process
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            Thread {
                process.waitUntilExit()
                continuation.resume()
            }.start()
        }
        // The readers end when the pipes close.
        for _ in 0..<500 where finishedReaders.withLockedValue({ $0 }) < 2 {
            try? await Task.sleep(for: .milliseconds(10))
        }
        return CommandResult(status: process.terminationStatus, stdout: stdout, stderr: stderr)
    }

    /// Polls the output until `condition` holds, at most `attempts` times 100 ms apart.
    func waitForOutput(attempts: Int = 100, _ condition: (String) -> Bool) async -> Bool {
        for _ in 0..<attempts {
            if condition(stdout) { return true }
            try? await Task.sleep(for: .milliseconds(100))
        }
        return condition(stdout)
    }
}

/// Runs a command to completion.
func run(_ executable: String, _ arguments: [String], environment: [String: String] = [:], stdin: String? = nil)
    async throws -> CommandResult
{
    try await RunningProcess(executable, arguments, environment: environment, stdin: stdin).wait()
}
