import BridgeKernel

/// When the debounce rules make each change of a churn run due, computed from the send log alone, so the
/// benchmark can tell the wait the rules impose from the time the bridge itself takes.
enum DebounceSchedule {
    /// For every send (in sequence order), the instant its service's burst fell due: the service's changes form
    /// one burst while each follows the previous within the quiet period; the burst is due a quiet period after
    /// its last change, or `maxDelay` after its first, whichever is earlier. (The max-events flush and the batch
    /// window can only write a change before its due instant; the benchmark counts that as no time beyond.)
    static func dueInstants(
        of sends: [(service: Int, at: ContinuousClock.Instant)], settings: DebounceSettings
    ) -> [ContinuousClock.Instant] {
        var due = sends.map(\.at)
        let byService = Dictionary(grouping: sends.indices, by: { sends[$0].service })
        for sequences in byService.values {
            var burst: [Int] = []
            func close() {
                guard let first = burst.first, let last = burst.last else { return }
                let instant = min(sends[last].at + settings.quiet, sends[first].at + settings.maxDelay)
                for sequence in burst { due[sequence] = instant }
                burst = []
            }
            for sequence in sequences {
                if let first = burst.first, let last = burst.last,
                    sends[last].at.duration(to: sends[sequence].at) >= settings.quiet
                        || sends[first].at.duration(to: sends[sequence].at) >= settings.maxDelay
                {
                    close()
                }
                burst.append(sequence)
            }
            close()
        }
        return due
    }
}
