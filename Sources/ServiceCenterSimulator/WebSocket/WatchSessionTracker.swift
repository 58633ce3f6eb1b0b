import NIOConcurrencyHelpers
import NIOCore

/// The open watch sockets of the simulator.
final class WatchSessionTracker: Sendable {
    final class Entry: Sendable {
        let channel: any Channel
        let info: NIOLockedValueBox<WatchSocketInfo>

        init(channel: any Channel, info: WatchSocketInfo) {
            self.channel = channel
            self.info = NIOLockedValueBox(info)
        }
    }

    private let entries = NIOLockedValueBox([ObjectIdentifier: Entry]())

    func add(_ entry: Entry) {
        entries.withLockedValue { $0[ObjectIdentifier(entry)] = entry }
    }

    func remove(_ entry: Entry) {
        entries.withLockedValue { _ = $0.removeValue(forKey: ObjectIdentifier(entry)) }
    }

    var count: Int { entries.withLockedValue { $0.count } }

    var infos: [WatchSocketInfo] { entries.withLockedValue { $0.values.map { $0.info.withLockedValue { $0 } } } }

    /// Drops every open watch socket: TCP close without a Close frame.
    func dropAll() async -> Int {
        let open = entries.withLockedValue { Array($0.values) }
        for entry in open {
            try? await entry.channel.close()
        }
        return open.count
    }
}
