/// Service Center's request validators (`server/service/validator`), field by field in Go declaration order so the
/// first reported violation is the one the real server reports.
enum RequestValidation {
    private typealias Rule = ValidationRule

    private static let serviceIdRule = Rule(min: 1, max: 64, pattern: .nonSpace)
    private static let instanceIdRule = Rule(min: 1, max: 64, pattern: .simpleNameAllowEmpty)
    private static let consumerIdRule = Rule(max: 64, pattern: .nonSpace)
    private static let searchAppIdRule = Rule(min: 1, max: 160, pattern: .name)
    private static let searchServiceNameRule = Rule(min: 1, max: 160 + 1 + 128, pattern: .serviceNameForFind)
    private static let environmentRule = Rule(pattern: .environment)
    private static let tagRule = Rule(pattern: .tag)

    /// `CreateServiceRequest` after `SetServiceDefaultValue`.
    static func validate(createService service: MicroService) throws(ServiceCenterAPIError) {
        let v = StructValidator(typeName: "MicroService")
        try v.check("ServiceId", .string(service.serviceId), Rule(max: 64, pattern: .nonSpace))
        try v.check("AppId", .string(service.appId), Rule(max: 160, pattern: .name))
        try v.check("ServiceName", .string(service.serviceName), Rule(min: 1, max: 128, pattern: .name))
        try v.check("Version", .string(service.version), Rule(max: 64, pattern: .version))
        try v.check("Description", .string(service.description), Rule(max: 256))
        try v.check("Level", .string(service.level), Rule(pattern: .level))
        try v.check("Schemas", .strings(service.schemas), Rule(max: 100, pattern: .schemaId))
        for path in service.paths {
            try StructValidator(typeName: "ServicePath").check("Path", .string(path.path), Rule(pattern: .servicePath))
        }
        try v.check("Status", .string(service.status), Rule(pattern: .serviceStatus))
        try v.check("Alias", .string(service.alias), Rule(max: 128, pattern: .alias))
        try v.check("Environment", .string(service.environment), environmentRule)
        try v.check("RegisterBy", .string(service.registerBy), Rule(max: 64, pattern: .registerBy))
        if let framework = service.framework {
            let f = StructValidator(typeName: "FrameWork")
            try f.check("Name", .string(framework.name), Rule(max: 64, pattern: .name))
            try f.check("Version", .string(framework.version), Rule(max: 64))
        }
    }

    /// `RegisterInstanceRequest`.
    static func validate(registerInstance instance: MicroServiceInstance?) throws(ServiceCenterAPIError) {
        try StructValidator(typeName: "RegisterInstanceRequest").check(
            "Instance",
            .pointer(isNil: instance == nil),
            Rule(min: 1)
        )
        guard let instance else { return }
        let v = StructValidator(typeName: "MicroServiceInstance")
        try v.check("InstanceId", .string(instance.instanceId), Rule(max: 64, pattern: .simpleNameAllowEmpty))
        try v.check("ServiceId", .string(instance.serviceId), serviceIdRule)
        try v.check("Endpoints", .strings(instance.endpoints), Rule(pattern: .endpoint))
        try v.check("HostName", .string(instance.hostName), Rule(min: 1, max: 64, pattern: .endpoint))
        try v.check("Status", .string(instance.status), Rule(pattern: .instanceStatus))
        if let check = instance.healthCheck {
            let h = StructValidator(typeName: "HealthCheck")
            try h.check("Mode", .string(check.mode), Rule(pattern: .healthCheckMode))
            try h.check("Port", .integer(Int64(check.port)), Rule(max: Int(UInt16.max)))
            try h.check("Interval", .integer(Int64(check.interval)), Rule(min: 1, max: Int(Int32.max)))
            try h.check("Times", .integer(Int64(check.times)), Rule(max: Int(Int32.max)))
            try h.check("Url", .string(check.url), Rule(pattern: .nonSpace))
        }
        if let dataCenter = instance.dataCenterInfo {
            let d = StructValidator(typeName: "DataCenterInfo")
            try d.check("Name", .string(dataCenter.name), Rule(min: 1, max: 128, pattern: .simpleName))
            try d.check("Region", .string(dataCenter.region), Rule(min: 1, max: 128, pattern: .simpleName))
            try d.check(
                "AvailableZone",
                .string(dataCenter.availableZone),
                Rule(min: 1, max: 128, pattern: .simpleName)
            )
        }
    }

    /// Requests addressing one instance: heartbeat, unregister, properties (`HeartbeatReqValidator`).
    static func validate(
        instanceAddress serviceId: String,
        _ instanceId: String,
        typeName: String
    ) throws(ServiceCenterAPIError) {
        let v = StructValidator(typeName: typeName)
        try v.check("ServiceId", .string(serviceId), serviceIdRule)
        try v.check("InstanceId", .string(instanceId), instanceIdRule)
    }

    /// `UpdateInstanceStatusRequest`.
    static func validate(statusUpdate serviceId: String, _ instanceId: String, _ status: String)
        throws(ServiceCenterAPIError)
    {
        try validate(instanceAddress: serviceId, instanceId, typeName: "UpdateInstanceStatusRequest")
        try StructValidator(typeName: "UpdateInstanceStatusRequest").check(
            "Status",
            .string(status),
            Rule(pattern: .instanceStatusUpdate)
        )
    }

    /// Requests carrying only a service id (`GetServiceReqValidator`).
    static func validate(serviceId: String, typeName: String) throws(ServiceCenterAPIError) {
        try StructValidator(typeName: typeName).check("ServiceId", .string(serviceId), serviceIdRule)
    }

    /// `GetOneInstanceRequest` (`instanceId` non-nil) or `GetInstancesRequest`.
    static func validate(
        instanceQuery consumerId: String,
        providerId: String,
        instanceId: String?,
        tags: [String]
    ) throws(ServiceCenterAPIError) {
        let v = StructValidator(typeName: instanceId == nil ? "GetInstancesRequest" : "GetOneInstanceRequest")
        try v.check("ConsumerServiceId", .string(consumerId), consumerIdRule)
        try v.check("ProviderServiceId", .string(providerId), serviceIdRule)
        if let instanceId {
            try v.check("ProviderInstanceId", .string(instanceId), instanceIdRule)
        }
        try v.check("Tags", .strings(tags), tagRule)
    }

    /// `FindInstancesRequest`.
    static func validate(find request: FindInstancesRequest) throws(ServiceCenterAPIError) {
        let v = StructValidator(typeName: "FindInstancesRequest")
        try v.check("ConsumerServiceId", .string(request.consumerServiceId), consumerIdRule)
        try v.check("AppId", .string(request.appId), searchAppIdRule)
        try v.check("ServiceName", .string(request.serviceName), searchServiceNameRule)
        try v.check("Tags", .strings(request.tags), tagRule)
        try v.check("Environment", .string(request.environment), environmentRule)
    }

    /// `BatchFindInstancesRequest`.
    static func validate(batchFind request: BatchFindRequest) throws(ServiceCenterAPIError) {
        try StructValidator(typeName: "BatchFindInstancesRequest").check(
            "ConsumerServiceId",
            .string(request.consumerServiceId),
            consumerIdRule
        )
        for entry in request.services {
            let key = entry?.service
            try StructValidator(typeName: "FindService").check("Service", .pointer(isNil: key == nil), Rule(min: 1))
            guard let key else { continue }
            let v = StructValidator(typeName: "MicroServiceKey")
            try v.check("Environment", .string(key.environment), environmentRule)
            try v.check("AppId", .string(key.appId), searchAppIdRule)
            try v.check("ServiceName", .string(key.serviceName), searchServiceNameRule)
        }
        for entry in request.instances {
            let missing = entry?.isMissing ?? true
            try StructValidator(typeName: "FindInstance").check("Instance", .pointer(isNil: missing), Rule(min: 1))
            guard let entry, !missing else { continue }
            try validate(instanceAddress: entry.serviceId, entry.instanceId, typeName: "HeartbeatSetElement")
        }
    }

    /// `GetExistenceRequest` for `type=microservice`.
    static func validate(existence key: MicroServiceKey) throws(ServiceCenterAPIError) {
        let v = StructValidator(typeName: "GetExistenceRequest")
        try v.check("AppId", .string(key.appId), searchAppIdRule)
        try v.check("ServiceName", .string(key.serviceName), searchServiceNameRule)
        try v.check("Version", .string(key.version), Rule(min: 1, max: 64, pattern: .version))
        try v.check("Environment", .string(key.environment), environmentRule)
    }

    /// `AddDependenciesRequest` (`requireProviders`) or `CreateDependenciesRequest`.
    static func validate(
        dependencies: [ConsumerDependency?],
        typeName: String,
        requireProviders: Bool
    ) throws(ServiceCenterAPIError) {
        try StructValidator(typeName: typeName).check(
            "Dependencies",
            .integer(Int64(dependencies.count)),
            Rule(min: 1, max: 100)
        )
        for dependency in dependencies {
            guard let dependency else { continue }
            let d = StructValidator(typeName: "ConsumerDependency")
            try d.check("Consumer", .pointer(isNil: dependency.consumer == nil), Rule(min: 1))
            if let consumer = dependency.consumer {
                let c = StructValidator(typeName: "MicroServiceKey")
                try c.check("Environment", .string(consumer.environment), environmentRule)
                try c.check("AppId", .string(consumer.appId), Rule(min: 1, max: 160, pattern: .name))
                try c.check("ServiceName", .string(consumer.serviceName), Rule(min: 1, max: 128, pattern: .name))
                try c.check("Version", .string(consumer.version), Rule(min: 1, max: 64, pattern: .version))
            }
            if requireProviders {
                try d.check("Providers", .integer(Int64(dependency.providers.count)), Rule(min: 1))
            }
            for provider in dependency.providers.compactMap({ $0 }) {
                let p = StructValidator(typeName: "MicroServiceKey")
                try p.check("Environment", .string(provider.environment), environmentRule)
                try p.check("AppId", .string(provider.appId), Rule(max: 160, pattern: .name))
                try p.check("ServiceName", .string(provider.serviceName), Rule(min: 1, max: 128, pattern: .name))
                try p.check("Version", .string(provider.version), Rule(max: 128, pattern: .versionRule))
            }
        }
    }
}

extension GoPattern {
    /// Dependency version rules: empty, `latest`, `x[.y[.z]]`, `x+`, `x-y`.
    static let versionRule = GoPattern(
        source: "the form x[.y[.z]] or x[.y[.z]]+ or x[.y[.z]]-x[.y[.z]] or 'latest' where x y and z are 0-32767 range"
    ) { value in
        func plain(_ text: Substring) -> Bool {
            let parts = text.split(separator: ".", omittingEmptySubsequences: false)
            return (1...3).contains(parts.count)
                && parts.allSatisfy { !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isNumber } && Int16($0) != nil }
        }
        if value.isEmpty || value == "latest" { return true }
        if value.hasSuffix("+") { return plain(value.dropLast()) }
        if let dash = value.firstIndex(of: "-") {
            return plain(value[..<dash]) && plain(value[value.index(after: dash)...])
        }
        return plain(Substring(value))
    }
}
