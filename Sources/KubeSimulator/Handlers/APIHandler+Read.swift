import BridgeKernel
import Foundation

extension APIHandler {
    /// `GET …/{name}[/status]`.
    func get(_ route: ResourceRoute, _ request: KubeRequest) throws(APIError) -> KubeResponse {
        guard let stored = store.object(route.key) else {
            throw APIError.notFound(route.resource, name: route.name ?? "")
        }
        return objectResponse(present(stored, route), route, request)
    }

    /// `GET …/{resource}`: a list with selectors and `limit`/`continue` chunking.
    func list(_ route: ResourceRoute, _ request: KubeRequest) throws(APIError) -> KubeResponse {
        let (labels, fields) = try selectors(route, request)
        let (stored, revision) = store.list(
            group: route.resource.group, resource: route.resource.plural, namespace: route.namespace)
        var listRevision = revision
        if let requested = request.query["resourceVersion"], !requested.isEmpty, requested != "0" {
            guard let value = Int64(requested) else {
                throw APIError.badRequest(
                    "resourceVersion: Invalid value: \(KubeJSON.quote(requested)): must be a valid resource version")
            }
            if value > revision {
                throw APIError.status(
                    code: 504, reason: "Timeout",
                    message: "Timeout: Too large resource version: \(value), current: \(revision)",
                    details: [
                        "causes": [["reason": "ResourceVersionTooLarge", "message": "Too large resource version"]],
                        "retryAfterSeconds": 1,
                    ])
            }
            if request.query["resourceVersionMatch"] == "Exact", value < store.compactedRevision {
                throw APIError.expired("too old resource version: \(value) (\(store.compactedRevision))")
            }
        }
        var start: (namespace: String, name: String)?
        if let token = request.query["continue"], !token.isEmpty {
            let decoded = try ContinueToken.decode(token)
            if decoded.revision < store.compactedRevision {
                throw APIError.expired(
                    "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list."
                )
            }
            start = (decoded.namespace, decoded.name)
            listRevision = decoded.revision
        }
        var matching = stored.filter { Self.matches($0, labels, fields) }
        if let start {
            matching = matching.filter { object in
                let key = (
                    object["metadata"]?["namespace"]?.stringValue ?? "", object["metadata"]?["name"]?.stringValue ?? ""
                )
                return key > start
            }
        }
        var metadata: [String: JSONValue] = ["resourceVersion": .string(String(listRevision))]
        if let limitText = request.query["limit"], let limit = Int(limitText), limit > 0, matching.count > limit {
            let remaining = matching.count - limit
            matching = Array(matching.prefix(limit))
            let last = matching[matching.count - 1]["metadata"]
            metadata["continue"] = .string(
                ContinueToken.encode(
                    revision: listRevision, namespace: last?["namespace"]?.stringValue ?? "",
                    name: last?["name"]?.stringValue ?? ""))
            metadata["remainingItemCount"] = .int(Int64(remaining))
        }
        let items = matching.map { present($0, route) }
        if request.wantsTable {
            let table = TableRenderer.table(
                items, resource: route.resource, listMetadata: .object(metadata),
                includeObject: request.query["includeObject"], now: now())
            return .json(code: 200, body: table, unstructured: false)
        }
        let list: JSONValue = [
            "apiVersion": .string(route.apiVersion), "kind": .string(route.resource.listKind),
            "metadata": .object(metadata), "items": .array(items),
        ]
        return .json(code: 200, body: list, unstructured: isUnstructured(route))
    }
}

/// The opaque `continue` token: base64 of `{"v":"meta.k8s.io/v1","rv":N,"start":"ns/name\u0000"}` like the
/// apiserver's.
enum ContinueToken {
    static func encode(revision: Int64, namespace: String, name: String) -> String {
        let start = (namespace.isEmpty ? name : namespace + "/" + name) + "\u{0}"
        let json: JSONValue = ["v": "meta.k8s.io/v1", "rv": .int(revision), "start": .string(start)]
        return Data(json.canonicalJSON.utf8).base64EncodedString()
    }

    static func decode(_ token: String) throws(APIError) -> (revision: Int64, namespace: String, name: String) {
        guard let data = Data(base64Encoded: token), let json = try? JSONValue.parse(data),
            json["v"]?.stringValue == "meta.k8s.io/v1", let revision = json["rv"]?.intValue,
            var start = json["start"]?.stringValue
        else {
            throw APIError.badRequest(
                "continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)")
        }
        if start.hasSuffix("\u{0}") { start.removeLast() }
        let parts = start.split(separator: "/", maxSplits: 1).map(String.init)
        if parts.count == 2 { return (revision, parts[0], parts[1]) }
        return (revision, "", start)
    }
}
