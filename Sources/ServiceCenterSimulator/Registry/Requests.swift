/// `POST /microservices` body (cari `CreateServiceRequest`); rules are accepted and ignored.
struct CreateServiceRequest: Sendable {
    var service: MicroService?
    var tags: [String: String] = [:]
    var instances: [MicroServiceInstance?] = []

    init(service: MicroService?, tags: [String: String] = [:], instances: [MicroServiceInstance?] = []) {
        self.service = service
        self.tags = tags
        self.instances = instances
    }

    init(reading reader: GoJSONObjectReader) throws {
        service = try reader.object("service", structName: "MicroService", MicroService.init(reading:))
        tags = try reader.stringMap("tags")
        instances = try reader.objects(
            "instances", structName: "MicroServiceInstance", MicroServiceInstance.init(reading:))
    }
}

/// `GET /registry/instances` query (cari `FindInstancesRequest`).
struct FindInstancesRequest: Sendable {
    var consumerServiceId: String = ""
    var appId: String = ""
    var serviceName: String = ""
    var tags: [String] = []
    var environment: String = ""
    /// Service Center sets the alias to the queried service name, so `find` also matches aliases.
    var alias: String = ""
    /// The `rev` the client already holds.
    var revision: String = ""
}

/// One entry of a batch find by service key (cari `FindService`).
struct FindServiceEntry: Sendable {
    var service: MicroServiceKey?
    var revision: String

    init(service: MicroServiceKey?, revision: String = "") {
        self.service = service
        self.revision = revision
    }

    init(reading reader: GoJSONObjectReader) throws {
        service = try reader.object("service", structName: "MicroServiceKey", MicroServiceKey.init(reading:))
        revision = try reader.string("rev")
    }
}

/// One entry of a batch find by instance id (cari `FindInstance`).
struct FindInstanceEntry: Sendable {
    var serviceId: String
    var instanceId: String
    var isMissing: Bool
    var revision: String

    init(reading reader: GoJSONObjectReader) throws {
        let element = try reader.object("instance", structName: "HeartbeatSetElement") { inner in
            (try inner.string("serviceId"), try inner.string("instanceId"))
        }
        serviceId = element?.0 ?? ""
        instanceId = element?.1 ?? ""
        isMissing = element == nil
        revision = try reader.string("rev")
    }
}

/// `POST /registry/instances/action?type=query` body (cari `BatchFindInstancesRequest`).
struct BatchFindRequest: Sendable {
    var consumerServiceId: String = ""
    var services: [FindServiceEntry?] = []
    var instances: [FindInstanceEntry?] = []

    init(consumerServiceId: String = "", services: [FindServiceEntry?] = [], instances: [FindInstanceEntry?] = []) {
        self.consumerServiceId = consumerServiceId
        self.services = services
        self.instances = instances
    }

    init(reading reader: GoJSONObjectReader) throws {
        consumerServiceId = try reader.string("consumerServiceId")
        services = try reader.objects("services", structName: "FindService", FindServiceEntry.init(reading:))
        instances = try reader.objects("instances", structName: "FindInstance", FindInstanceEntry.init(reading:))
    }
}

/// One consumer's dependencies (cari `ConsumerDependency`).
struct ConsumerDependency: Sendable {
    var consumer: MicroServiceKey?
    var providers: [MicroServiceKey?]

    init(consumer: MicroServiceKey?, providers: [MicroServiceKey?]) {
        self.consumer = consumer
        self.providers = providers
    }

    init(reading reader: GoJSONObjectReader) throws {
        consumer = try reader.object("consumer", structName: "MicroServiceKey", MicroServiceKey.init(reading:))
        providers = try reader.objects("providers", structName: "MicroServiceKey", MicroServiceKey.init(reading:))
    }
}
