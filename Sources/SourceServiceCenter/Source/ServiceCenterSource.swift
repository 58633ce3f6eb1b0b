import BridgeKernel
import BridgeTransport
import Logging

/// The `servicecenter` source: reads an Apache ServiceComb Service Center through its v4 REST API and watch
/// sockets.
///
/// It lists services every poll interval, registers one watcher consumer service per (environment, app),
/// batch-finds the providers' instances as that consumer (which records the dependencies that make watch events
/// flow) and applies the consumer's watch events. Everything is re-found after each (re)connect and every resync
/// interval, because the server sends no initial state and may lose events. An outage only makes the source
/// unhealthy: nothing is removed until a successful listing says so.
public struct ServiceCenterSource: RegistrySource {
    public let name: String
    /// The settings.
    public let settings: ServiceCenterSourceSettings
    let logger: Logger

    /// Creates a source.
    public init(name: String, settings: ServiceCenterSourceSettings, logger: Logger) {
        self.name = name
        self.settings = settings
        var logger = logger
        logger[metadataKey: "source"] = "\(name)"
        self.logger = logger
    }

    public func run(output: SourceOutput) async throws {
        let client = ServiceCenterClient(settings: settings, logger: logger)
        let webSockets = try WebSocketClient()
        let (signals, continuation) = AsyncStream.makeStream(of: SyncSignal.self)
        // One pending request is enough: requests made during a poll are all served by the next one.
        let (pollRequests, pollRequester) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        let loop = ServiceCenterSyncLoop(
            sourceName: name, settings: settings, client: client, webSockets: webSockets, signals: continuation,
            pollRequests: pollRequester, output: output, logger: logger)
        await withTaskGroup(of: Void.self) { group in
            let interval = settings.pollInterval
            await loop.poll()
            group.addTask {
                while !Task.isCancelled {
                    do { try await Task.sleep(for: interval) } catch { return }
                    pollRequester.yield()
                }
            }
            // Polls run beside the watch events, never holding them back.
            group.addTask {
                for await _ in pollRequests {
                    guard !Task.isCancelled else { return }
                    await loop.pollWhenRequested()
                }
            }
            for await signal in signals {
                guard !Task.isCancelled else { break }
                await loop.handle(signal)
            }
            group.cancelAll()
        }
        continuation.finish()
        pollRequester.finish()
        // Cancellation of this task must not cancel the clean-up calls, so they run in their own task.
        await Task { await loop.shutdown() }.value
        await webSockets.shutdown()
        await client.shutdown()
    }
}
