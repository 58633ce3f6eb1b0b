import BridgeKernel
import Testing

@testable import KubeSimulator

/// A watch whose client goes away while objects are being written must neither block the writes nor the
/// cancellation: the store yields to watchers under its lock, and cancelling a watch's task holds the task's
/// status lock while its stream's termination handler runs.
@Suite(.timeLimit(.minutes(3))) struct WatchCancellationTests {
    @Test func watchesCancelledDuringWritesNeverDeadlockTheStore() async throws {
        let store = ObjectStore(historyLimit: 100)
        let key = ObjectKey(group: "networking.istio.io", resource: "serviceentries", namespace: "a", name: "x")
        let writer = Task.detached {
            var generation = 0
            while !Task.isCancelled {
                generation += 1
                let object: JSONValue = [
                    "metadata": ["name": "x", "namespace": "a"], "spec": ["g": .int(Int64(generation))],
                ]
                _ = try? store.mutate(key) { _ in .put(object) }
            }
        }
        for _ in 0..<3_000 {
            let (_, signals) = try store.watch(
                group: "networking.istio.io", resource: "serviceentries", namespace: "a", from: nil)
            let reader = Task.detached {
                for await _ in signals {}
            }
            await Task.yield()
            reader.cancel()
            await reader.value
        }
        writer.cancel()
        await writer.value
        // Every watch was removed once its stream ended.
        try await waitUntil { store.openWatchCount == 0 }
    }

    private func waitUntil(_ condition: @Sendable () -> Bool) async throws {
        while !condition() { try await Task.sleep(for: .milliseconds(5)) }
    }
}
