/// The identity of a service version (cari `discovery.MicroServiceKey`); also the `key` of a watch frame.
public struct MicroServiceKey: Sendable, Hashable {
    /// `{domain}/{project}`, e.g. `default/default`.
    public var tenant: String
    /// Environment; empty for services registered without one.
    public var environment: String
    /// Application id.
    public var appId: String
    /// Service name.
    public var serviceName: String
    /// Alias.
    public var alias: String
    /// Version (or a version rule in dependency requests).
    public var version: String

    /// Creates a key; every field defaults to empty.
    public init(
        tenant: String = "",
        environment: String = "",
        appId: String = "",
        serviceName: String = "",
        alias: String = "",
        version: String = ""
    ) {
        self.tenant = tenant
        self.environment = environment
        self.appId = appId
        self.serviceName = serviceName
        self.alias = alias
        self.version = version
    }

    /// The key of `service` within `tenant` (cari `MicroServiceToKey`).
    init(tenant: Tenant, service: MicroService) {
        self.init(
            tenant: tenant.description,
            environment: service.environment,
            appId: service.appId,
            serviceName: service.serviceName,
            alias: service.alias,
            version: service.version
        )
    }
}

extension MicroServiceKey: GoJSONEncodable {
    var goJSON: GoJSON {
        var builder = GoJSONObjectBuilder()
        builder.omitEmpty("tenant", tenant)
        builder.omitEmpty("environment", environment)
        builder.omitEmpty("appId", appId)
        builder.omitEmpty("serviceName", serviceName)
        builder.omitEmpty("alias", alias)
        builder.omitEmpty("version", version)
        return builder.object
    }

    init(reading reader: GoJSONObjectReader) throws {
        self.init(
            tenant: try reader.string("tenant"),
            environment: try reader.string("environment"),
            appId: try reader.string("appId"),
            serviceName: try reader.string("serviceName"),
            alias: try reader.string("alias"),
            version: try reader.string("version")
        )
    }
}
