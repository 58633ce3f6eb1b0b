import NIOConcurrencyHelpers
import NIOCore

/// Every accepted TCP connection of one listener run, so "go away" can drop them all at once.
final class ConnectionTracker: Sendable {
    private let channels = NIOLockedValueBox([ObjectIdentifier: any Channel]())

    func track(_ channel: any Channel) {
        let id = ObjectIdentifier(channel)
        channels.withLockedValue { $0[id] = channel }
        channel.closeFuture.whenComplete { [weak self] _ in
            self?.channels.withLockedValue { _ = $0.removeValue(forKey: id) }
        }
    }

    /// Closes every tracked connection (TCP close, no protocol goodbye) and returns how many there were.
    @discardableResult
    func closeAll() async -> Int {
        let open = channels.withLockedValue { Array($0.values) }
        for channel in open {
            try? await channel.close()
        }
        return open.count
    }

    var count: Int { channels.withLockedValue { $0.count } }
}
