import BridgeKernel
import Foundation

/// One `metadata.managedFields` entry with its field set decoded.
struct ManagedFieldsEntry: Sendable, Hashable {
    /// `Apply` or `Update`.
    enum Operation: String, Sendable {
        case apply = "Apply"
        case update = "Update"
    }

    var manager: String
    var operation: Operation
    var apiVersion: String
    var time: String
    var subresource: String
    var fields: FieldSet

    /// apimachinery's manager identifier: appliers are one manager across versions; updaters are distinct per
    /// API version. Time and fields never take part.
    var identity: String {
        [manager, operation.rawValue, operation == .update ? apiVersion : "", subresource].joined(separator: "\u{0}")
    }

    /// The manager as conflict messages print it (`"kubectl"`, `"x" using networking.istio.io/v1`).
    var conflictName: String {
        var text = KubeJSON.quote(manager)
        if !subresource.isEmpty { text += " with subresource \(KubeJSON.quote(subresource))" }
        if operation == .update { text += " using \(apiVersion)" }
        return text
    }

    /// The JSON entry.
    var json: JSONValue {
        var members: [String: JSONValue] = [
            "manager": .string(manager), "operation": .string(operation.rawValue), "apiVersion": .string(apiVersion),
            "time": .string(time), "fieldsType": "FieldsV1", "fieldsV1": fields.fieldsV1,
        ]
        if !subresource.isEmpty { members["subresource"] = .string(subresource) }
        return .object(members)
    }

    /// Decodes the entries of an object.
    static func entries(of object: JSONValue) -> [ManagedFieldsEntry] {
        (object["metadata"]?["managedFields"]?.arrayValue ?? []).compactMap { entry in
            guard let manager = entry["manager"]?.stringValue,
                let operation = Operation(rawValue: entry["operation"]?.stringValue ?? "")
            else { return nil }
            return ManagedFieldsEntry(
                manager: manager, operation: operation, apiVersion: entry["apiVersion"]?.stringValue ?? "",
                time: entry["time"]?.stringValue ?? "", subresource: entry["subresource"]?.stringValue ?? "",
                fields: FieldSet(fieldsV1: entry["fieldsV1"] ?? [:]))
        }
    }

    /// `object` with `entries` as its managed fields (omitted when empty).
    static func setting(_ entries: [ManagedFieldsEntry], on object: JSONValue) -> JSONValue {
        var object = object
        var metadata = object["metadata"]?.objectValue ?? [:]
        // Spelled out: `cond ? nil : value` would store `JSONValue.null`.
        if entries.isEmpty {
            metadata["managedFields"] = Optional.none
        } else {
            metadata["managedFields"] = .array(entries.map(\.json))
        }
        object["metadata"] = .object(metadata)
        return object
    }
}

/// Field ownership tracking for non-apply writes (create, update, merge/JSON patch): the writer takes the fields
/// it changed; other managers lose them.
enum UpdateOwnership {
    static func record(
        old: JSONValue?, new: JSONValue, manager: String, apiVersion: String, subresource: String,
        schema: MergeSchema, ignoringStatus: Bool, now: Date
    ) -> [ManagedFieldsEntry] {
        var entries = old.map(ManagedFieldsEntry.entries(of:)) ?? []
        let newSet = FieldSet.of(new, schema: schema, ignoringStatus: ignoringStatus)
        let oldSet = old.map { FieldSet.of($0, schema: schema, ignoringStatus: ignoringStatus) } ?? FieldSet()
        let changed = newSet.paths.filter { FieldAccess.differs(at: $0, old, new) }
        let removed = oldSet.paths.subtracting(newSet.paths)
        let updater = ManagedFieldsEntry(
            manager: manager, operation: .update, apiVersion: apiVersion, time: "", subresource: subresource,
            fields: FieldSet())
        let time = KubeTime.seconds(now)
        var result: [ManagedFieldsEntry] = []
        var updaterIndex: Int?
        for var entry in entries {
            let before = entry.fields
            if entry.identity == updater.identity {
                entry.fields.paths.formUnion(changed)
                entry.fields.paths.formIntersection(newSet.paths)
                if entry.fields != before { entry.time = time }
                updaterIndex = result.count
            } else {
                entry.fields.paths.subtract(changed)
                entry.fields.paths.subtract(removed)
                entry.fields.paths.formIntersection(newSet.paths)
            }
            if !entry.fields.isEmpty { result.append(entry) }
        }
        if updaterIndex == nil, !changed.isEmpty {
            var entry = updater
            entry.fields = FieldSet(Set(changed))
            entry.time = time
            result.append(entry)
        }
        entries = result
        return entries
    }
}
