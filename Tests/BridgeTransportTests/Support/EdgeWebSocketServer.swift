import Foundation
import Synchronization

/// The python3 WebSocket server in `Tests/Fixtures/servers/websocket_edge_server.py`, which misbehaves on purpose
/// (drops TCP, ignores pings, reports close frames). One process per test.
final class EdgeWebSocketServer: Sendable {
    let port: Int
    private let process: Process
    private let input: Pipe
    private let lines: LineQueue

    /// Starts the server and waits for it to report its port.
    static func start() async throws -> EdgeWebSocketServer {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-u", TestFixtures.server("websocket_edge_server.py")]
        let output = Pipe()
        let input = Pipe()
        process.standardOutput = output
        process.standardInput = input
        let lines = LineQueue()
        output.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            if data.isEmpty {
                handle.readabilityHandler = nil
                lines.finish()
            } else {
                lines.append(Array(data))
            }
        }
        try process.run()
        guard let first = await lines.next(), first.hasPrefix("PORT "), let port = Int(first.dropFirst(5)) else {
            process.terminate()
            throw TestServerError.didNotStart
        }
        return EdgeWebSocketServer(port: port, process: process, input: input, lines: lines)
    }

    private init(port: Int, process: Process, input: Pipe, lines: LineQueue) {
        self.port = port
        self.process = process
        self.input = input
        self.lines = lines
    }

    /// The next `EVENT ...` line (without the prefix), or `nil` if the server exited.
    func nextEvent() async -> String? {
        while let line = await self.lines.next() {
            if line.hasPrefix("EVENT ") {
                return String(line.dropFirst(6))
            }
        }
        return nil
    }

    /// Stops the server. (It also exits by itself when its stdin closes, should the test process die.)
    func stop() {
        // SIGKILL, because the child inherits a signal mask that may block SIGTERM.
        kill(self.process.processIdentifier, SIGKILL)
        self.process.waitUntilExit()
        try? self.input.fileHandleForWriting.close()
    }

    /// Runs `body` with a fresh server and stops it afterwards.
    static func with<Result>(_ body: (EdgeWebSocketServer) async throws -> Result) async throws -> Result {
        let server = try await Self.start()
        defer { server.stop() }
        return try await body(server)
    }
}

/// Splits bytes into lines and hands them to one waiting reader at a time.
final class LineQueue: Sendable {
    private struct State {
        var pending: [UInt8] = []
        var lines: [String] = []
        var finished = false
        var waiter: CheckedContinuation<String?, Never>?
    }

    private let state = Mutex(State())

    func append(_ bytes: [UInt8]) {
        let resume = self.state.withLock { state -> (CheckedContinuation<String?, Never>, String)? in
            state.pending.append(contentsOf: bytes)
            while let newline = state.pending.firstIndex(of: UInt8(ascii: "\n")) {
                state.lines.append(String(decoding: state.pending[..<newline], as: UTF8.self))
                state.pending.removeSubrange(...newline)
            }
            guard let waiter = state.waiter, !state.lines.isEmpty else { return nil }
            state.waiter = nil
            return (waiter, state.lines.removeFirst())
        }
        if let (waiter, line) = resume { waiter.resume(returning: line) }
    }

    func finish() {
        let waiter = self.state.withLock { state in
            state.finished = true
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(returning: nil)
    }

    func next() async -> String? {
        await withCheckedContinuation { continuation in
            let immediate = self.state.withLock { state -> String?? in
                if !state.lines.isEmpty { return .some(state.lines.removeFirst()) }
                if state.finished { return .some(nil) }
                state.waiter = continuation
                return nil
            }
            if let immediate { continuation.resume(returning: immediate) }
        }
    }
}
