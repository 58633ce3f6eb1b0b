import BridgeKernel
import Foundation

/// Server-side apply of a manager's intent onto the live object: merge by schema, remove what the manager
/// stopped applying, detect conflicts with other managers, and move ownership on `force`.
enum ServerSideApply {
    /// The merged object (without managed fields) and the new managed fields.
    struct Result {
        var object: JSONValue
        var entries: [ManagedFieldsEntry]
    }

    /// Another manager owns fields the apply would change.
    struct Conflicts: Error {
        var items: [(manager: ManagedFieldsEntry, path: FieldPath)]

        /// apimachinery's message: `Apply failed with 1 conflict: conflict with "m": .spec.x`, or the grouped
        /// multi-line form.
        var message: String {
            if items.count == 1 {
                return
                    "Apply failed with 1 conflict: conflict with \(items[0].manager.conflictName): \(items[0].path.pathText)"
            }
            var byManager: [String: (name: String, paths: [String])] = [:]
            for item in items {
                byManager[item.manager.identity, default: (item.manager.conflictName, [])].paths.append(
                    item.path.pathText)
            }
            var lines: [String] = []
            for identity in byManager.keys.sorted() {
                let group = byManager[identity]!
                lines.append("conflicts with \(group.name):")
                lines.append(contentsOf: group.paths.map { "- " + $0 })
            }
            return "Apply failed with \(items.count) conflicts: " + lines.joined(separator: "\n")
        }

        /// The `details.causes`.
        var causes: [JSONValue] {
            items.map { item in
                [
                    "reason": "FieldManagerConflict", "message": .string("conflict with \(item.manager.conflictName)"),
                    "field": .string(item.path.pathText),
                ]
            }
        }
    }

    static func apply(
        config: JSONValue, to live: JSONValue?, manager: String, apiVersion: String, subresource: String,
        force: Bool, schema: MergeSchema, ignoringStatus: Bool, now: Date
    ) throws(Conflicts) -> Result {
        let intent = FieldSet.stripped(config, ignoringStatus: ignoringStatus)
        let configSet = FieldSet.of(config, schema: schema, ignoringStatus: ignoringStatus)
        let applier = ManagedFieldsEntry(
            manager: manager, operation: .apply, apiVersion: apiVersion, time: KubeTime.seconds(now),
            subresource: subresource, fields: configSet)
        var entries = live.map(ManagedFieldsEntry.entries(of:)) ?? []
        let liveObject = live.map { ManagedFieldsEntry.setting([], on: $0) }
        var merged = merge(live: liveObject, config: intent, schema: schema)

        // Conflicts: fields in the intent that would change and that another manager owns.
        var conflicts: [(manager: ManagedFieldsEntry, path: FieldPath)] = []
        for entry in entries where entry.identity != applier.identity {
            for path in entry.fields.paths.intersection(configSet.paths).sorted(by: { $0.pathText < $1.pathText })
            where FieldAccess.differs(at: path, liveObject, merged) {
                conflicts.append((manager: entry, path: path))
            }
        }
        if !conflicts.isEmpty {
            if !force { throw Conflicts(items: conflicts) }
            let taken = Set(conflicts.map(\.path))
            entries = entries.map { entry in
                guard entry.identity != applier.identity else { return entry }
                var entry = entry
                entry.fields.paths.subtract(taken)
                return entry
            }
        }

        // Fields this manager applied before and omits now are removed unless someone else owns them.
        let previous = entries.first { $0.identity == applier.identity }?.fields ?? FieldSet()
        let othersOwned = entries.filter { $0.identity != applier.identity }.reduce(into: Set<FieldPath>()) {
            $0.formUnion($1.fields.paths)
        }
        let dropped = previous.paths.subtracting(configSet.paths).subtracting(othersOwned)
        for path in dropped.sorted(by: { $0.count > $1.count })
        where !othersOwned.contains(where: { path.isStrictPrefix(of: $0) })
            && !configSet.paths.contains(where: { path.isStrictPrefix(of: $0) })
        {
            merged = FieldAccess.removing(path, from: merged)
        }

        var result: [ManagedFieldsEntry] = []
        var placed = false
        for entry in entries {
            if entry.identity == applier.identity {
                var updated = applier
                if entry.fields == configSet { updated.time = entry.time }
                result.append(updated)
                placed = true
            } else if !entry.fields.isEmpty {
                result.append(entry)
            }
        }
        if !placed { result.append(applier) }
        return Result(object: merged, entries: result)
    }

    /// Merges the intent into the live object following the schema's list and map types.
    static func merge(live: JSONValue?, config: JSONValue, schema: MergeSchema) -> JSONValue {
        switch (live, config) {
        case (.object(let liveMembers)?, .object(let configMembers)) where !schema.isAtomicMap:
            var result = liveMembers
            for (name, value) in configMembers {
                result[name] = merge(live: liveMembers[name], config: value, schema: schema.child(name))
            }
            return .object(result)
        case (.array(let liveItems)?, .array(let configItems)):
            switch schema.listType {
            case .atomic:
                return config
            case .set:
                var result = liveItems
                for item in configItems where !result.contains(item) { result.append(item) }
                return .array(result)
            case .map(let keys):
                var result = liveItems
                for item in configItems {
                    let key = FieldSet.keyJSON(item, keys)
                    if let index = result.firstIndex(where: { FieldSet.keyJSON($0, keys) == key }) {
                        result[index] = merge(live: result[index], config: item, schema: schema.itemSchema)
                    } else {
                        result.append(item)
                    }
                }
                return .array(result)
            }
        default:
            return config
        }
    }
}
