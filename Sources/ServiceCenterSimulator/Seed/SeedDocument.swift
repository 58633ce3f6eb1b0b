import BridgeKernel
import Foundation
import Yams

/// Services, instances and dependencies to pre-register, read from YAML or JSON:
///
/// ```yaml
/// services:
///   - domain: default          # optional, default "default"
///     project: default         # optional, default "default"
///     service: {appId: shop, serviceName: cart, version: 1.0.0, environment: production}
///     tags: {team: cart}        # optional service tags
///     instances:
///       - hostName: cart-1
///         endpoints: ["rest://10.0.0.5:8080?sslEnabled=false"]
///         status: DOWN          # optional
///         keepAlive: true       # optional (default true): the simulator heartbeats it
/// dependencies:
///   - consumer: {appId: shop, serviceName: web, version: 1.0.0, environment: production}
///     providers: [{appId: shop, serviceName: cart, environment: production}]
/// ```
///
/// `service` and `instances` use the Service Center JSON field names. Scalars are strings except
/// `healthCheck.interval`, `times` and `port` (integers) and `keepAlive` (boolean), so `version: 1.0` stays `"1.0"`.
public struct SeedDocument: Sendable {
    /// One service with its instances.
    public struct ServiceEntry: Sendable {
        /// Where to register it.
        public var tenant: Tenant
        /// The service.
        public var service: MicroService
        /// Service tags.
        public var tags: [String: String]
        /// Its instances, each with a keep-alive flag.
        public var instances: [(instance: MicroServiceInstance, keepAlive: Bool)]
    }

    /// One consumer's dependencies.
    public struct DependencyEntry: Sendable {
        /// Tenant of the consumer.
        public var tenant: Tenant
        /// The consumer's key (environment, appId, serviceName, version).
        public var consumer: MicroServiceKey
        /// Provider keys (environment, appId, serviceName).
        public var providers: [MicroServiceKey]
    }

    /// Services in file order.
    public var services: [ServiceEntry]
    /// Dependencies in file order.
    public var dependencies: [DependencyEntry]

    /// Reads a seed file (`.yaml`, `.yml` or `.json`).
    public static func load(path: String) throws -> SeedDocument {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw SimulatorError(.fileUnreadable, "reading seed file '\(path)': \(error)")
        }
        do {
            return try SeedDocument(text: text)
        } catch let error as SimulatorError {
            throw SimulatorError(.seedInvalid, "seed file '\(path)': \(error.context)")
        }
    }

    /// Parses seed text (YAML; JSON is accepted as YAML).
    public init(text: String) throws {
        let root: JSONValue
        do {
            root = try Self.convert(try Yams.compose(yaml: text), key: nil) ?? .object([:])
        } catch let error as SimulatorError {
            throw error
        } catch {
            throw SimulatorError(.seedInvalid, "not YAML/JSON: \(error)")
        }
        services = []
        dependencies = []
        for (index, entry) in (root["services"]?.arrayValue ?? []).enumerated() {
            services.append(try Self.serviceEntry(entry, index: index))
        }
        for (index, entry) in (root["dependencies"]?.arrayValue ?? []).enumerated() {
            dependencies.append(try Self.dependencyEntry(entry, index: index))
        }
    }

    private static func tenant(_ entry: JSONValue) -> Tenant {
        Tenant(domain: entry["domain"]?.stringValue ?? "default", project: entry["project"]?.stringValue ?? "default")
    }

    private static func serviceEntry(_ entry: JSONValue, index: Int) throws -> ServiceEntry {
        do {
            guard let serviceValue = entry["service"] else {
                throw SimulatorError(.seedInvalid, "services[\(index)] has no 'service'")
            }
            let service = try MicroService(
                reading: GoJSONObjectReader(topLevel: serviceValue, structName: "MicroService")
            )
            let tags = try GoJSONObjectReader(topLevel: entry, structName: "SeedService").stringMap("tags")
            var instances: [(MicroServiceInstance, Bool)] = []
            for value in entry["instances"]?.arrayValue ?? [] {
                let instance = try MicroServiceInstance(
                    reading: GoJSONObjectReader(topLevel: value, structName: "MicroServiceInstance")
                )
                instances.append((instance, value["keepAlive"]?.boolValue ?? true))
            }
            return ServiceEntry(tenant: tenant(entry), service: service, tags: tags, instances: instances)
        } catch let error as GoJSONDecodeError {
            throw SimulatorError(.seedInvalid, "services[\(index)]: \(error)")
        }
    }

    private static func dependencyEntry(_ entry: JSONValue, index: Int) throws -> DependencyEntry {
        do {
            let reader = try GoJSONObjectReader(topLevel: entry, structName: "ConsumerDependency")
            guard
                let consumer = try reader.object(
                    "consumer", structName: "MicroServiceKey", MicroServiceKey.init(reading:))
            else { throw SimulatorError(.seedInvalid, "dependencies[\(index)] has no 'consumer'") }
            let providers = try reader.objects(
                "providers", structName: "MicroServiceKey", MicroServiceKey.init(reading:))
            return DependencyEntry(tenant: tenant(entry), consumer: consumer, providers: providers.compactMap { $0 })
        } catch let error as GoJSONDecodeError {
            throw SimulatorError(.seedInvalid, "dependencies[\(index)]: \(error)")
        }
    }

    private static let integerKeys: Set<String> = ["interval", "times", "port"]
    private static let booleanKeys: Set<String> = ["keepAlive"]

    /// YAML node → JSON document with the seed's scalar typing rules.
    private static func convert(_ node: Node?, key: String?) throws -> JSONValue? {
        guard let node else { return nil }
        switch node {
        case .scalar(let scalar):
            if scalar.style == .plain, node.null != nil { return .null }
            if let key, integerKeys.contains(key) {
                guard let number = node.int else {
                    throw SimulatorError(.seedInvalid, "'\(key)' must be an integer, got '\(scalar.string)'")
                }
                return .int(Int64(number))
            }
            if let key, booleanKeys.contains(key) {
                guard let flag = node.bool else {
                    throw SimulatorError(.seedInvalid, "'\(key)' must be true or false, got '\(scalar.string)'")
                }
                return .bool(flag)
            }
            return .string(scalar.string)
        case .mapping(let mapping):
            var members: [String: JSONValue] = [:]
            for (name, value) in mapping {
                guard let name = name.string else { throw SimulatorError(.seedInvalid, "non-scalar mapping key") }
                members[name] = try convert(value, key: name) ?? .null
            }
            return .object(members)
        case .sequence(let sequence):
            return .array(try sequence.map { try convert($0, key: nil) ?? .null })
        case .alias:
            throw SimulatorError(.seedInvalid, "YAML aliases are not supported in seed files")
        }
    }
}

extension ServiceCenterSimulator {
    /// Registers everything in `document` through the normal registry paths (validation, defaults, CREATE events);
    /// returns the service ids in document order.
    @discardableResult
    public func load(seed document: SeedDocument) async throws -> [String] {
        var ids: [String] = []
        for entry in document.services {
            let serviceId = try await registerService(entry.service, tags: entry.tags, tenant: entry.tenant)
            ids.append(serviceId)
            for (instance, keepAlive) in entry.instances {
                var instance = instance
                instance.serviceId = serviceId
                try await registerInstance(instance, tenant: entry.tenant, keepAlive: keepAlive)
            }
        }
        for dependency in document.dependencies {
            try await addDependencies(
                consumer: dependency.consumer,
                providers: dependency.providers,
                tenant: dependency.tenant
            )
        }
        return ids
    }
}
