/// One instance change as the watch socket delivers it (cari `WatchInstanceResponse` without `Response`).
public struct WatchEvent: Sendable, Hashable {
    /// What happened.
    public var action: InstanceEventAction
    /// The provider service's key (tenant, environment, appId, serviceName, alias, version).
    public var key: MicroServiceKey
    /// The instance after the change; for DELETE the last known full instance.
    public var instance: MicroServiceInstance

    /// Creates an event.
    public init(action: InstanceEventAction, key: MicroServiceKey, instance: MicroServiceInstance) {
        self.action = action
        self.key = key
        self.instance = instance
    }

    /// The text frame payload, keys in the order `action`, `key`, `instance`.
    public var frameText: String { jsonText }
}

extension WatchEvent: GoJSONEncodable {
    var goJSON: GoJSON {
        .object([("action", .string(action.rawValue)), ("key", key.goJSON), ("instance", instance.goJSON)])
    }
}
