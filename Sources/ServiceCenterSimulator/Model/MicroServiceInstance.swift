/// A Service Center instance (cari `discovery.MicroServiceInstance`).
public struct MicroServiceInstance: Sendable, Hashable {
    /// Instance id: 32 hex digits unless the client chose one.
    public var instanceId: String
    /// The owning service.
    public var serviceId: String
    /// Endpoints such as `rest://10.0.0.5:8080?sslEnabled=false` or `highway://[::1]:7070`; free text.
    public var endpoints: [String]
    /// Host name (1–64 non-space characters; required at registration).
    public var hostName: String
    /// `UP` (default), `DOWN`, `STARTING`, `TESTING` or `OUTOFSERVICE`.
    public var status: String
    /// Instance properties.
    public var properties: [String: String]
    /// Lease settings; the server fills `push`/30/3 when absent.
    public var healthCheck: HealthCheck?
    /// Registration time, unix seconds as a string.
    public var timestamp: String
    /// Data-center placement.
    public var dataCenterInfo: DataCenterInfo?
    /// Last modification time, unix seconds as a string.
    public var modTimestamp: String
    /// Copied from the service at registration.
    public var version: String

    /// Creates an instance description; every field defaults to Go's zero value.
    public init(
        instanceId: String = "",
        serviceId: String = "",
        endpoints: [String] = [],
        hostName: String = "",
        status: String = "",
        properties: [String: String] = [:],
        healthCheck: HealthCheck? = nil,
        timestamp: String = "",
        dataCenterInfo: DataCenterInfo? = nil,
        modTimestamp: String = "",
        version: String = ""
    ) {
        self.instanceId = instanceId
        self.serviceId = serviceId
        self.endpoints = endpoints
        self.hostName = hostName
        self.status = status
        self.properties = properties
        self.healthCheck = healthCheck
        self.timestamp = timestamp
        self.dataCenterInfo = dataCenterInfo
        self.modTimestamp = modTimestamp
        self.version = version
    }
}

/// Lease settings of an instance (cari `discovery.HealthCheck`).
public struct HealthCheck: Sendable, Hashable {
    /// `push` (the instance heartbeats) or `pull`.
    public var mode: String
    /// Health-check port.
    public var port: Int32
    /// Heartbeat interval in seconds.
    public var interval: Int32
    /// Missed heartbeats tolerated before the lease expires.
    public var times: Int32
    /// Health-check URL.
    public var url: String

    /// Creates lease settings.
    public init(mode: String = "", port: Int32 = 0, interval: Int32 = 0, times: Int32 = 0, url: String = "") {
        self.mode = mode
        self.port = port
        self.interval = interval
        self.times = times
        self.url = url
    }
}

/// Data-center placement of an instance (cari `discovery.DataCenterInfo`).
public struct DataCenterInfo: Sendable, Hashable {
    /// Data-center name.
    public var name: String
    /// Region.
    public var region: String
    /// Availability zone.
    public var availableZone: String

    /// Creates a placement.
    public init(name: String = "", region: String = "", availableZone: String = "") {
        self.name = name
        self.region = region
        self.availableZone = availableZone
    }
}

extension MicroServiceInstance: GoJSONEncodable {
    var goJSON: GoJSON {
        var builder = GoJSONObjectBuilder()
        builder.omitEmpty("instanceId", instanceId)
        builder.omitEmpty("serviceId", serviceId)
        builder.omitEmpty("endpoints", endpoints)
        builder.omitEmpty("hostName", hostName)
        builder.omitEmpty("status", status)
        builder.omitEmpty("properties", properties)
        builder.omitNil("healthCheck", healthCheck?.goJSON)
        builder.omitEmpty("timestamp", timestamp)
        builder.omitNil("dataCenterInfo", dataCenterInfo?.goJSON)
        builder.omitEmpty("modTimestamp", modTimestamp)
        builder.omitEmpty("version", version)
        return builder.object
    }

    init(reading reader: GoJSONObjectReader) throws {
        self.init(
            instanceId: try reader.string("instanceId"),
            serviceId: try reader.string("serviceId"),
            endpoints: try reader.stringArray("endpoints"),
            hostName: try reader.string("hostName"),
            status: try reader.string("status"),
            properties: try reader.stringMap("properties"),
            healthCheck: try reader.object("healthCheck", structName: "HealthCheck", HealthCheck.init(reading:)),
            timestamp: try reader.string("timestamp"),
            dataCenterInfo: try reader.object(
                "dataCenterInfo",
                structName: "DataCenterInfo",
                DataCenterInfo.init(reading:)
            ),
            modTimestamp: try reader.string("modTimestamp"),
            version: try reader.string("version")
        )
    }
}

extension HealthCheck: GoJSONEncodable {
    var goJSON: GoJSON {
        var builder = GoJSONObjectBuilder()
        builder.omitEmpty("mode", mode)
        builder.omitEmpty("port", Int64(port))
        builder.omitEmpty("interval", Int64(interval))
        builder.omitEmpty("times", Int64(times))
        builder.omitEmpty("url", url)
        return builder.object
    }

    init(reading reader: GoJSONObjectReader) throws {
        self.init(
            mode: try reader.string("mode"),
            port: Int32(try reader.integer("port")),
            interval: Int32(try reader.integer("interval")),
            times: Int32(try reader.integer("times")),
            url: try reader.string("url")
        )
    }
}

extension DataCenterInfo: GoJSONEncodable {
    var goJSON: GoJSON {
        var builder = GoJSONObjectBuilder()
        builder.omitEmpty("name", name)
        builder.omitEmpty("region", region)
        builder.omitEmpty("availableZone", availableZone)
        return builder.object
    }

    init(reading reader: GoJSONObjectReader) throws {
        self.init(
            name: try reader.string("name"),
            region: try reader.string("region"),
            availableZone: try reader.string("availableZone")
        )
    }
}
