/// A Service Center micro-service (cari `discovery.MicroService`).
///
/// Every field follows Go's zero-value convention: an empty string, list or map means "absent" and is omitted from
/// the JSON the simulator writes.
public struct MicroService: Sendable, Hashable {
    /// Server-assigned id: 32 lower-case hex digits (a dashless UUIDv4) unless the client chose one.
    public var serviceId: String
    /// Application id; the server defaults it to `default`.
    public var appId: String
    /// Service name (`[a-zA-Z0-9_.-]`, upper case allowed).
    public var serviceName: String
    /// Version `x[.y[.z[.w]]]`; the server defaults it to `0.0.1`.
    public var version: String
    /// Free-text description.
    public var description: String
    /// `FRONT`, `MIDDLE` or `BACK` (default).
    public var level: String
    /// Schema ids.
    public var schemas: [String]
    /// Exposed paths.
    public var paths: [ServicePath]
    /// `UP` (default) or `DOWN`.
    public var status: String
    /// Service properties, e.g. `allowCrossApp`.
    public var properties: [String: String]
    /// Registration time, unix seconds as a string.
    public var timestamp: String
    /// Providers declared by the service itself (informational).
    public var providers: [MicroServiceKey]
    /// Alternative name that `find` also matches.
    public var alias: String
    /// Load-balancing strategy hints.
    public var lbStrategy: [String: String]
    /// Last modification time, unix seconds as a string.
    public var modTimestamp: String
    /// `development`, `testing`, `acceptance`, `production` or empty.
    public var environment: String
    /// `SDK`, `SIDECAR` or `PLATFORM`.
    public var registerBy: String
    /// The framework that registered the service.
    public var framework: Framework?

    /// Creates a service description; every field defaults to Go's zero value.
    public init(
        serviceId: String = "",
        appId: String = "",
        serviceName: String = "",
        version: String = "",
        description: String = "",
        level: String = "",
        schemas: [String] = [],
        paths: [ServicePath] = [],
        status: String = "",
        properties: [String: String] = [:],
        timestamp: String = "",
        providers: [MicroServiceKey] = [],
        alias: String = "",
        lbStrategy: [String: String] = [:],
        modTimestamp: String = "",
        environment: String = "",
        registerBy: String = "",
        framework: Framework? = nil
    ) {
        self.serviceId = serviceId
        self.appId = appId
        self.serviceName = serviceName
        self.version = version
        self.description = description
        self.level = level
        self.schemas = schemas
        self.paths = paths
        self.status = status
        self.properties = properties
        self.timestamp = timestamp
        self.providers = providers
        self.alias = alias
        self.lbStrategy = lbStrategy
        self.modTimestamp = modTimestamp
        self.environment = environment
        self.registerBy = registerBy
        self.framework = framework
    }
}

/// A path a service exposes (cari `discovery.ServicePath`).
public struct ServicePath: Sendable, Hashable {
    /// The path.
    public var path: String
    /// Path properties.
    public var property: [String: String]

    /// Creates a path entry.
    public init(path: String = "", property: [String: String] = [:]) {
        self.path = path
        self.property = property
    }
}

/// The framework that registered a service (cari `discovery.FrameWork`).
public struct Framework: Sendable, Hashable {
    /// Framework name, e.g. `servicecomb-java-chassis`.
    public var name: String
    /// Framework version.
    public var version: String

    /// Creates a framework description.
    public init(name: String = "", version: String = "") {
        self.name = name
        self.version = version
    }
}

extension MicroService: GoJSONEncodable {
    var goJSON: GoJSON {
        var builder = GoJSONObjectBuilder()
        builder.omitEmpty("serviceId", serviceId)
        builder.omitEmpty("appId", appId)
        builder.omitEmpty("serviceName", serviceName)
        builder.omitEmpty("version", version)
        builder.omitEmpty("description", description)
        builder.omitEmpty("level", level)
        builder.omitEmpty("schemas", schemas)
        builder.omitEmpty("paths", paths.map(\.goJSON))
        builder.omitEmpty("status", status)
        builder.omitEmpty("properties", properties)
        builder.omitEmpty("timestamp", timestamp)
        builder.omitEmpty("providers", providers.map(\.goJSON))
        builder.omitEmpty("alias", alias)
        builder.omitEmpty("LBStrategy", lbStrategy)
        builder.omitEmpty("modTimestamp", modTimestamp)
        builder.omitEmpty("environment", environment)
        builder.omitEmpty("registerBy", registerBy)
        builder.omitNil("framework", framework?.goJSON)
        return builder.object
    }

    init(reading reader: GoJSONObjectReader) throws {
        self.init(
            serviceId: try reader.string("serviceId"),
            appId: try reader.string("appId"),
            serviceName: try reader.string("serviceName"),
            version: try reader.string("version"),
            description: try reader.string("description"),
            level: try reader.string("level"),
            schemas: try reader.stringArray("schemas"),
            paths: try reader.objects("paths", structName: "ServicePath", ServicePath.init(reading:)).compactMap {
                $0
            },
            status: try reader.string("status"),
            properties: try reader.stringMap("properties"),
            timestamp: try reader.string("timestamp"),
            providers: try reader.objects("providers", structName: "MicroServiceKey", MicroServiceKey.init(reading:))
                .compactMap { $0 },
            alias: try reader.string("alias"),
            lbStrategy: try reader.stringMap("LBStrategy"),
            modTimestamp: try reader.string("modTimestamp"),
            environment: try reader.string("environment"),
            registerBy: try reader.string("registerBy"),
            framework: try reader.object("framework", structName: "FrameWork", Framework.init(reading:))
        )
    }
}

extension ServicePath: GoJSONEncodable {
    var goJSON: GoJSON {
        var builder = GoJSONObjectBuilder()
        builder.omitEmpty("path", path)
        builder.omitEmpty("property", property)
        return builder.object
    }

    init(reading reader: GoJSONObjectReader) throws {
        self.init(path: try reader.string("path"), property: try reader.stringMap("property"))
    }
}

extension Framework: GoJSONEncodable {
    var goJSON: GoJSON {
        var builder = GoJSONObjectBuilder()
        builder.omitEmpty("name", name)
        builder.omitEmpty("version", version)
        return builder.object
    }

    init(reading reader: GoJSONObjectReader) throws {
        self.init(name: try reader.string("name"), version: try reader.string("version"))
    }
}
