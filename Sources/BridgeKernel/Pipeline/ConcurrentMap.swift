import Dispatch
import Synchronization

extension Array where Element: Sendable {
    /// Maps the elements on up to `maximumConcurrency` threads and returns the results in input order, so the
    /// outcome is the same as `map` whatever the scheduling.
    ///
    /// Workers take chunks of `chunkSize` elements from a shared counter, which balances uneven elements (a
    /// service with a thousand instances next to one with two). Short inputs, or a concurrency of 1, are mapped
    /// on the calling thread. The calling thread works too, so this never waits for a free thread; it does block
    /// the caller until every element is done, like the plain `map` it replaces.
    func concurrentMap<Result: Sendable>(
        maximumConcurrency: Int, chunkSize: Int, _ transform: @Sendable (Element) -> Result
    ) -> [Result] {
        let chunkCount = (count + chunkSize - 1) / chunkSize
        let workers = Swift.min(maximumConcurrency, chunkCount)
        guard workers > 1 else { return map(transform) }
        return withUnsafeBufferPointer { input in
            [Result](unsafeUninitializedCapacity: count) { output, initializedCount in
                nonisolated(unsafe) let input = input
                nonisolated(unsafe) let output = output
                let nextChunk = Atomic<Int>(0)
                DispatchQueue.concurrentPerform(iterations: workers) { _ in
                    while true {
                        let chunk = nextChunk.add(1, ordering: .relaxed).oldValue
                        guard chunk < chunkCount else { return }
                        let range = chunk * chunkSize..<Swift.min((chunk + 1) * chunkSize, input.count)
                        for index in range {
                            (output.baseAddress! + index).initialize(to: transform(input[index]))
                        }
                    }
                }
                initializedCount = input.count
            }
        }
    }
}
