import BridgeKernel
import Foundation

/// A Service Center micro-service (one per version), reduced to the fields the bridge uses.
public struct SCService: Hashable, Sendable {
    /// The service id (one per environment/app/name/version).
    public var serviceId: String
    /// `appId`; Service Center's default is `default`.
    public var appId: String
    /// `serviceName`.
    public var serviceName: String
    /// `version`.
    public var version: String
    /// `environment`; empty when none.
    public var environment: String
    /// Service properties.
    public var properties: [String: String]

    /// Creates a service description.
    public init(
        serviceId: String, appId: String = "default", serviceName: String, version: String = "0.0.1",
        environment: String = "", properties: [String: String] = [:]
    ) {
        self.serviceId = serviceId
        self.appId = appId
        self.serviceName = serviceName
        self.version = version
        self.environment = environment
        self.properties = properties
    }
}

/// A Service Center instance as the registry reports it (endpoints still unparsed).
public struct SCInstance: Hashable, Sendable {
    /// `instanceId`.
    public var instanceId: String
    /// `serviceId` of the version it belongs to.
    public var serviceId: String
    /// Endpoint strings, verbatim.
    public var endpoints: [String]
    /// `hostName`.
    public var hostName: String
    /// `status` text (`UP`, `DOWN`, …; empty means UP).
    public var status: String
    /// Instance properties.
    public var properties: [String: String]
    /// `version` (copied from the service by the server).
    public var version: String
    /// `dataCenterInfo.region`.
    public var region: String
    /// `dataCenterInfo.availableZone`.
    public var zone: String

    /// Creates an instance description.
    public init(
        instanceId: String, serviceId: String, endpoints: [String], hostName: String = "", status: String = "UP",
        properties: [String: String] = [:], version: String = "", region: String = "", zone: String = ""
    ) {
        self.instanceId = instanceId
        self.serviceId = serviceId
        self.endpoints = endpoints
        self.hostName = hostName
        self.status = status
        self.properties = properties
        self.version = version
        self.region = region
        self.zone = zone
    }
}

/// One event frame of the watch socket.
public enum SCWatchFrame: Hashable, Sendable {
    /// `CREATE`, `UPDATE` or `DELETE` of an instance.
    case instance(action: Action, instance: SCInstance)
    /// `EXPIRE`, an unknown action, or a frame that could not be read: the client must re-query.
    case requery(reason: String)
    /// The server's plain-text refusal `service does not exist`: the watcher consumer is gone.
    case consumerMissing

    /// Instance actions that carry a complete instance.
    public enum Action: String, Hashable, Sendable {
        case create = "CREATE"
        case update = "UPDATE"
        case delete = "DELETE"
    }
}

/// A Service Center payload that could not be read.
public struct ServiceCenterPayloadError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What is wrong.
    public enum Code: String, Hashable, Sendable {
        /// The body is not JSON.
        case notJSON
        /// The JSON does not have the expected shape.
        case unexpectedShape
    }

    /// What is wrong.
    public var code: Code
    /// Which payload (e.g. `service list`).
    public var payload: String
    /// Details.
    public var detail: String

    /// Creates an error.
    public init(code: Code, payload: String, detail: String) {
        self.code = code
        self.payload = payload
        self.detail = detail
    }

    public var description: String { "\(payload): \(code.rawValue): \(detail)" }
}

/// The result of one batch-find: instances per query index, and the indexes that failed.
public struct SCBatchFindResult: Hashable, Sendable {
    /// Instances of each successful query, by the query's index.
    public var updated: [Int: [SCInstance]]
    /// Failed query indexes with the server's message.
    public var failed: [Int: String]
    /// Instances that were skipped because they could not be read (for the log).
    public var problems: [String]
}

/// Decodes Service Center JSON payloads (cari `discovery` model: `omitempty` everywhere, so absent fields are
/// zero values and an empty list is `{}`). Unknown fields are ignored; a malformed entry is skipped and reported,
/// never fatal for its neighbours.
public enum ServiceCenterPayloads {
    /// Decodes `GET /registry/microservices`; returns the services and descriptions of skipped entries.
    public static func services(_ body: [UInt8]) throws(ServiceCenterPayloadError) -> (
        services: [SCService], problems: [String]
    ) {
        let root = try parseObject(body, payload: "service list")
        guard let list = root["services"] else { return ([], []) }
        guard case .array(let elements) = list else {
            throw ServiceCenterPayloadError(
                code: .unexpectedShape, payload: "service list", detail: "\"services\" is not a list")
        }
        var services: [SCService] = []
        var problems: [String] = []
        for (index, element) in elements.enumerated() {
            guard let service = Self.service(element) else {
                problems.append("service list entry \(index) has no serviceId or serviceName; skipped")
                continue
            }
            services.append(service)
        }
        return (services, problems)
    }

    /// Decodes one micro-service object; `nil` when it has no id or name.
    public static func service(_ value: JSONValue) -> SCService? {
        guard case .object = value, let id = value["serviceId"]?.stringValue, !id.isEmpty,
            let name = value["serviceName"]?.stringValue, !name.isEmpty
        else { return nil }
        return SCService(
            serviceId: id, appId: nonEmpty(value["appId"]?.stringValue) ?? "default", serviceName: name,
            version: value["version"]?.stringValue ?? "", environment: value["environment"]?.stringValue ?? "",
            properties: stringMap(value["properties"]))
    }

    /// Decodes one instance object; `nil` when it has no instance id. `serviceId` falls back to `serviceId`.
    public static func instance(_ value: JSONValue, serviceId fallback: String = "") -> SCInstance? {
        guard case .object = value, let id = value["instanceId"]?.stringValue, !id.isEmpty else { return nil }
        let endpoints = (value["endpoints"]?.arrayValue ?? []).compactMap(\.stringValue)
        let dataCenter = value["dataCenterInfo"]
        return SCInstance(
            instanceId: id, serviceId: nonEmpty(value["serviceId"]?.stringValue) ?? fallback, endpoints: endpoints,
            hostName: value["hostName"]?.stringValue ?? "", status: value["status"]?.stringValue ?? "",
            properties: stringMap(value["properties"]), version: value["version"]?.stringValue ?? "",
            region: dataCenter?["region"]?.stringValue ?? "", zone: dataCenter?["availableZone"]?.stringValue ?? "")
    }

    /// Decodes the batch-find response (`{"services":{"updated":[…],"failed":[…]}}`).
    public static func batchFind(_ body: [UInt8]) throws(ServiceCenterPayloadError) -> SCBatchFindResult {
        let root = try parseObject(body, payload: "batch find")
        var result = SCBatchFindResult(updated: [:], failed: [:], problems: [])
        let services = root["services"]
        for entry in services?["updated"]?.arrayValue ?? [] {
            guard let index = entry["index"]?.intValue else {
                result.problems.append("batch find: an updated entry has no index; skipped")
                continue
            }
            var instances: [SCInstance] = []
            for element in entry["instances"]?.arrayValue ?? [] {
                if let instance = Self.instance(element) {
                    instances.append(instance)
                } else {
                    result.problems.append("batch find: an instance of query \(index) has no instanceId; skipped")
                }
            }
            result.updated[Int(index)] = instances
        }
        for entry in services?["failed"]?.arrayValue ?? [] {
            let message =
                entry["error"]?["errorMessage"]?.stringValue ?? entry["error"]?["detail"]?.stringValue ?? "unknown"
            for index in entry["indexes"]?.arrayValue ?? [] {
                if let index = index.intValue { result.failed[Int(index)] = message }
            }
        }
        return result
    }

    /// Decodes the `{"serviceId":"…"}` answer of a service registration.
    public static func serviceId(_ body: [UInt8]) throws(ServiceCenterPayloadError) -> String {
        let root = try parseObject(body, payload: "service registration")
        guard let id = root["serviceId"]?.stringValue, !id.isEmpty else {
            throw ServiceCenterPayloadError(
                code: .unexpectedShape, payload: "service registration", detail: "no serviceId")
        }
        return id
    }

    /// Decodes the `{"token":"…"}` answer of `POST /v4/token`.
    public static func token(_ body: [UInt8]) throws(ServiceCenterPayloadError) -> String {
        let root = try parseObject(body, payload: "token")
        guard let token = root["token"]?.stringValue, !token.isEmpty else {
            throw ServiceCenterPayloadError(code: .unexpectedShape, payload: "token", detail: "no token")
        }
        return token
    }

    /// The `errorMessage` of an error body, or the body text when it is not a Service Center error.
    public static func errorMessage(_ body: [UInt8]) -> String {
        if let root = try? JSONValue.parse(body), let message = root["errorMessage"]?.stringValue {
            let code = root["errorCode"]?.stringValue ?? root["errorCode"]?.intValue.map { String($0) } ?? "?"
            let detail = root["detail"]?.stringValue.map { " (\($0))" } ?? ""
            return "\(code) \(message)\(detail)"
        }
        let text = String(decoding: body.prefix(200), as: UTF8.self)
        return text.isEmpty ? "empty body" : text
    }

    /// Decodes one watch-socket text frame.
    public static func watchFrame(_ text: String) -> SCWatchFrame {
        // Event frames are JSON objects; trimming each of them to compare with the plain-text error showed in
        // profiles, and the error text holds no `{`.
        if !text.utf8.contains(UInt8(ascii: "{")),
            text.trimmingCharacters(in: .whitespacesAndNewlines) == "service does not exist"
        {
            return .consumerMissing
        }
        guard let root = try? JSONValue.parse(text), case .object = root else {
            return .requery(reason: "unreadable watch frame \(String(text.prefix(80)).debugDescription)")
        }
        let actionText = root["action"]?.stringValue ?? ""
        guard let action = SCWatchFrame.Action(rawValue: actionText) else {
            return .requery(reason: "watch action \(actionText.isEmpty ? "(none)" : actionText)")
        }
        guard let instanceValue = root["instance"], let instance = Self.instance(instanceValue),
            !instance.serviceId.isEmpty
        else {
            return .requery(reason: "\(actionText) frame without a readable instance")
        }
        return .instance(action: action, instance: instance)
    }

    private static func parseObject(_ body: [UInt8], payload: String) throws(ServiceCenterPayloadError) -> JSONValue {
        let value: JSONValue
        do {
            value = try JSONValue.parse(body)
        } catch {
            throw ServiceCenterPayloadError(code: .notJSON, payload: payload, detail: "\(error)")
        }
        guard case .object = value else {
            throw ServiceCenterPayloadError(
                code: .unexpectedShape, payload: payload, detail: "expected an object, got \(value.schemaTypeName)")
        }
        return value
    }

    private static func stringMap(_ value: JSONValue?) -> [String: String] {
        guard let object = value?.objectValue else { return [:] }
        var result: [String: String] = [:]
        for (key, value) in object {
            switch value {
            case .string(let text): result[key] = text
            case .int(let number): result[key] = String(number)
            case .bool(let flag): result[key] = String(flag)
            case .double(let number): result[key] = String(number)
            default: continue
            }
        }
        return result
    }

    private static func nonEmpty(_ text: String?) -> String? {
        guard let text, !text.isEmpty else { return nil }
        return text
    }
}
