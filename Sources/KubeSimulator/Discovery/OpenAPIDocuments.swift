import BridgeKernel
import Crypto
import Foundation

/// `/openapi/v3` and its per-group-version documents: enough for kubectl's default (`--validate=strict`)
/// check that the server supports `fieldValidation` for a kind, plus the real CRD schemas so `kubectl explain`
/// has something to show.
struct OpenAPIDocuments: Sendable {
    let catalog: ResourceCatalog
    let gitVersion: String

    /// `api/v1`, `apis/networking.istio.io/v1`, ...
    var groupVersionPaths: [String] {
        var paths = ["api/v1"]
        for group in catalog.groups {
            for version in catalog.versions(ofGroup: group) { paths.append("apis/\(group)/\(version)") }
        }
        return paths
    }

    /// The root document listing every group-version document with a content hash.
    var root: JSONValue {
        var paths: [String: JSONValue] = [:]
        for path in groupVersionPaths {
            guard let document = document(path: path) else { continue }
            paths[path] = ["serverRelativeURL": .string("/openapi/v3/\(path)?hash=\(Self.hash(document))")]
        }
        return ["paths": .object(paths)]
    }

    static func hash(_ document: JSONValue) -> String {
        let digest = SHA512.hash(data: Data(document.canonicalJSON.utf8))
        return Array(digest).prefix(64).map { String(format: "%02X", $0) }.joined()
    }

    /// The document for `api/v1` or `apis/<group>/<version>`.
    func document(path: String) -> JSONValue? {
        let parts = path.split(separator: "/").map(String.init)
        let group: String
        let version: String
        if parts.count == 2, parts[0] == "api" {
            group = ""
            version = parts[1]
        } else if parts.count == 3, parts[0] == "apis" {
            group = parts[1]
            version = parts[2]
        } else {
            return nil
        }
        let resources = catalog.resources(group: group, version: version)
        guard !resources.isEmpty else { return nil }
        var paths: [String: JSONValue] = [:]
        var schemas: [String: JSONValue] = [:]
        for resource in resources {
            let prefix = group.isEmpty ? "/api/\(version)" : "/apis/\(group)/\(version)"
            let gvk: JSONValue = ["group": .string(group), "version": .string(version), "kind": .string(resource.kind)]
            let schemaName = Self.schemaName(resource, version: version)
            let reference: JSONValue = ["$ref": .string("#/components/schemas/\(schemaName)")]
            // Strategic merge patch is never advertised, although built-in types accept it: kubectl would then
            // compute its patch from these schemas, which do not describe the built-in types' fields (it warns
            // "unable to find api field"). Without it, kubectl uses its compiled-in patch metadata instead,
            // and custom resources, which reject it, are never sent one.
            let bodyTypes = [
                "application/json-patch+json", "application/merge-patch+json", "application/apply-patch+yaml",
            ]
            var content: [String: JSONValue] = [:]
            for type in bodyTypes { content[type] = ["schema": ["type": "object"]] }
            func operation(_ action: String, _ id: String, query: [String]) -> JSONValue {
                [
                    "operationId": .string(id), "x-kubernetes-action": .string(action),
                    "x-kubernetes-group-version-kind": gvk,
                    "parameters": .array(
                        query.map { ["name": .string($0), "in": "query", "schema": ["type": "string"]] }),
                    "responses": [
                        "200": ["description": "OK", "content": ["application/json": ["schema": reference]]]
                    ],
                ]
            }
            let writeQuery = ["dryRun", "fieldManager", "fieldValidation"]
            var item: [String: JSONValue] = [
                "get": operation("get", "read\(resource.kind)", query: []),
                "put": operation("put", "replace\(resource.kind)", query: writeQuery),
                "delete": operation("delete", "delete\(resource.kind)", query: ["dryRun"]),
            ]
            var patch = operation("patch", "patch\(resource.kind)", query: writeQuery + ["force"]).objectValue!
            patch["requestBody"] = ["content": .object(content)]
            item["patch"] = .object(patch)
            let collection: [String: JSONValue] = [
                "get": operation(
                    "list", "list\(resource.kind)",
                    query: ["labelSelector", "fieldSelector", "limit", "continue", "watch"]),
                "post": operation("post", "create\(resource.kind)", query: writeQuery),
            ]
            let scope =
                resource.namespaced
                ? "\(prefix)/namespaces/{namespace}/\(resource.plural)" : "\(prefix)/\(resource.plural)"
            paths[scope + "/{name}"] = .object(item)
            paths[scope] = .object(collection)
            var schema = objectSchema(resource, version: version)
            schema["x-kubernetes-group-version-kind"] = [gvk]
            schemas[schemaName] = schema
        }
        return [
            "openapi": "3.0.0", "info": ["title": "Kubernetes", "version": .string(gitVersion)],
            "paths": .object(paths), "components": ["schemas": .object(schemas)],
        ]
    }

    /// The component name: `io.k8s.api.<group's first label>.<version>.<Kind>` for built-in types
    /// (`io.k8s.api.apps.v1.Deployment`, `io.k8s.api.rbac.v1.Role`, `io.k8s.api.core.v1.ConfigMap`), the
    /// reversed group for custom resources (`io.istio.networking.v1.ServiceEntry`).
    static func schemaName(_ resource: ServedResource, version: String) -> String {
        if case .custom = resource.flavor {
            let reversed = resource.group.split(separator: ".").reversed().joined(separator: ".")
            return "\(reversed).\(version).\(resource.kind)"
        }
        let package = resource.group.split(separator: ".").first.map(String.init) ?? "core"
        return "io.k8s.api.\(package).\(version).\(resource.kind)"
    }

    private func objectSchema(_ resource: ServedResource, version: String) -> JSONValue {
        if case .custom(let definition) = resource.flavor {
            let raw = definition.document["spec"]?["versions"]?.arrayValue?.first { $0["name"]?.stringValue == version }
            if let schema = raw?["schema"]?["openAPIV3Schema"] { return schema }
        }
        return ["type": "object", "x-kubernetes-preserve-unknown-fields": true]
    }
}
