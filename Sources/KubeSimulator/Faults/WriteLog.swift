import BridgeKernel
import Foundation
import NIOConcurrencyHelpers

/// One successful write request, as recorded for tests of "who wrote what, when".
public struct WriteRecord: Sendable, Hashable {
    /// When the store applied it.
    public var time: Date
    /// `create`, `update`, `patch`, `apply`, `delete`.
    public var verb: String
    /// Where.
    public var key: ObjectKey
    /// Subresource (`status`), or empty.
    public var subresource: String
    /// The authenticated user.
    public var user: String
    /// The `User-Agent` header.
    public var userAgent: String
    /// The field manager used (explicit or derived from the user agent).
    public var fieldManager: String
    /// The resulting `resourceVersion` (for deletes: the deletion revision).
    public var resourceVersion: Int64
    /// Whether the store changed (`false` for no-op writes that kept the resourceVersion).
    public var changed: Bool

    /// The admin API form.
    var json: JSONValue {
        [
            "time": .string(KubeTime.micro(time)), "verb": .string(verb), "group": .string(key.group),
            "resource": .string(key.resource), "namespace": .string(key.namespace), "name": .string(key.name),
            "subresource": .string(subresource), "user": .string(user), "userAgent": .string(userAgent),
            "fieldManager": .string(fieldManager), "resourceVersion": .string(String(resourceVersion)),
            "changed": .bool(changed),
        ]
    }
}

/// The append-only log of writes.
public final class WriteLog: Sendable {
    private let records = NIOLockedValueBox<[WriteRecord]>([])

    init() {}

    /// Every write so far, oldest first.
    public var all: [WriteRecord] {
        records.withLockedValue { $0 }
    }

    /// Forgets all records.
    public func clear() {
        records.withLockedValue { $0.removeAll() }
    }

    func append(_ record: WriteRecord) {
        records.withLockedValue { $0.append(record) }
    }
}
