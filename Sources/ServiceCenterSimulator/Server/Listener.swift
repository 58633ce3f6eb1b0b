import HummingbirdCore
import HummingbirdTLS
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import ServiceLifecycle

/// Runs the Hummingbird server for the simulator; can stop listening (dropping every connection) and listen again
/// on the same port.
actor Listener {
    private struct Run {
        let task: Task<Void, Never>
        let serverChannel: any Channel
        let connections: ConnectionTracker
        let port: Int
    }

    private let core: SimulatorCore
    private let router: ServiceCenterRouter
    private var run: Run?

    init(core: SimulatorCore) {
        self.core = core
        self.router = ServiceCenterRouter(rbacEnabled: core.configuration.rbac != nil)
    }

    var port: Int? { run?.port }

    var isRunning: Bool { run != nil }

    /// Binds `host:port` and serves until ``stop()``; returns the bound port.
    func start(host: String, port: Int) async throws -> Int {
        if let run { throw SimulatorError(.alreadyRunning, "already listening on \(host):\(run.port)") }
        let connections = ConnectionTracker()
        let base = SimulatorChildChannel(
            core: core,
            router: router,
            connections: connections,
            secure: core.configuration.tls != nil
        )
        let childChannel: any ServerChildChannel
        if let tls = core.configuration.tls {
            childChannel = try TLSChannel(base, tlsConfiguration: try tls.makeServerConfiguration())
        } else {
            childChannel = base
        }

        let started = StartSignal()
        let server = childChannel.server(
            configuration: ServerConfiguration(address: .hostname(host, port: port)),
            onServerRunning: { channel in started.succeed(channel) },
            eventLoopGroup: MultiThreadedEventLoopGroup.singleton,
            logger: core.logger
        )
        let task = Task {
            do {
                try await server.run()
            } catch {
                started.fail(error)
            }
            started.fail(SimulatorError(.bindFailed, "server on \(host):\(port) stopped before it was running"))
        }
        let serverChannel: any Channel
        do {
            serverChannel = try await started.wait()
        } catch {
            task.cancel()
            throw SimulatorError(.bindFailed, "binding \(host):\(port): \(error)")
        }
        let boundPort = serverChannel.localAddress?.port ?? port
        run = Run(task: task, serverChannel: serverChannel, connections: connections, port: boundPort)
        return boundPort
    }

    /// Stops listening and drops every open connection (HTTP and WebSocket) without any goodbye.
    func stop() async {
        guard let current = run else { return }
        run = nil
        try? await current.serverChannel.close()
        await current.connections.closeAll()
        current.task.cancel()
        await current.task.value
    }
}

/// One-shot hand-over of the listening channel from `onServerRunning` (or of the failure) to `start`.
private final class StartSignal: Sendable {
    private enum State {
        case waiting([CheckedContinuation<any Channel, any Error>])
        case done(Result<any Channel, any Error>)
    }

    private let state = NIOLockedValueBox(State.waiting([]))

    func succeed(_ channel: any Channel) { complete(.success(channel)) }

    func fail(_ error: any Error) { complete(.failure(error)) }

    private func complete(_ result: Result<any Channel, any Error>) {
        let waiters = state.withLockedValue { state -> [CheckedContinuation<any Channel, any Error>] in
            guard case .waiting(let waiters) = state else { return [] }
            state = .done(result)
            return waiters
        }
        for waiter in waiters { waiter.resume(with: result) }
    }

    func wait() async throws -> any Channel {
        try await withCheckedThrowingContinuation { continuation in
            let ready = state.withLockedValue { state -> Result<any Channel, any Error>? in
                switch state {
                case .waiting(let waiters):
                    state = .waiting(waiters + [continuation])
                    return nil
                case .done(let result):
                    return result
                }
            }
            if let ready { continuation.resume(with: ready) }
        }
    }
}
