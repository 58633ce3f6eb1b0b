import BridgeKernel
import Foundation

/// Renders objects as a `meta.k8s.io/v1` Table (what `kubectl get` asks for): the `Name` column, the type's
/// printer columns, and per row the object's metadata (`includeObject=Metadata`, the default), the whole object
/// (`Object`) or nothing (`None`).
enum TableRenderer {
    static func table(
        _ objects: [JSONValue], resource: ServedResource, listMetadata: JSONValue, includeObject: String?,
        now: Date
    ) -> JSONValue {
        let columns = [TableColumn.name] + resource.columns
        let rows: [JSONValue] = objects.map { object in
            var row: [String: JSONValue] = ["cells": .array(columns.map { $0.cell(object, now) })]
            switch includeObject ?? "Metadata" {
            case "None": break
            case "Object": row["object"] = object
            default:
                row["object"] = [
                    "kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1",
                    "metadata": object["metadata"] ?? [:],
                ]
            }
            return .object(row)
        }
        return [
            "kind": "Table", "apiVersion": "meta.k8s.io/v1", "metadata": listMetadata,
            "columnDefinitions": .array(columns.map(\.definition)), "rows": .array(rows),
        ]
    }
}
