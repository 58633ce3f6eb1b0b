import BridgeKernel
import Foundation

extension APIHandler {
    /// Namespaces the apiserver refuses to delete.
    static let undeletableNamespaces: Set<String> = ["default", "kube-system", "kube-public"]

    /// `DELETE …/{name}` with optional `DeleteOptions` (preconditions, dryRun).
    func delete(_ route: ResourceRoute, _ request: KubeRequest) throws(APIError) -> KubeResponse {
        let options = try deleteOptions(request)
        let name = route.name ?? ""
        if case .namespace = route.resource.flavor, Self.undeletableNamespaces.contains(name) {
            throw APIError.status(
                code: 403, reason: "Forbidden",
                message: "namespaces \(KubeJSON.quote(name)) is forbidden: this namespace may not be deleted",
                details: ["name": .string(name), "kind": "namespaces"])
        }
        let dryRun = request.isDryRun || options["dryRun"]?.arrayValue?.contains("All") == true
        let outcome = try store.mutate(route.key, dryRun: dryRun) { (current) throws(APIError) -> ObjectStore.Change in
            guard let current else { throw APIError.notFound(route.resource, name: name) }
            return try deletion(of: current, route: route, options: options)
        }
        if case .namespace = route.resource.flavor, case .deleted = outcome, !dryRun {
            store.deleteAll(inNamespace: name)
        }
        log("delete", route, request, outcome, name: name)
        switch outcome {
        case .deleted(let object):
            if case .namespace = route.resource.flavor {
                var terminating = present(object, route)
                terminating["status"] = ["phase": "Terminating"]
                return .json(code: 200, body: terminating, unstructured: false)
            }
            let success: JSONValue = [
                "kind": "Status", "apiVersion": "v1", "metadata": [:], "status": "Success",
                "details": APIError.details(route.resource, name: name, uid: object["metadata"]?["uid"]?.stringValue),
            ]
            return .json(code: 200, body: success, unstructured: false)
        default:
            return objectResponse(present(outcome.object, route), route, request)
        }
    }

    /// `DELETE …/{resource}`: deletes every selected object, answering with the list of deleted objects.
    func deleteCollection(_ route: ResourceRoute, _ request: KubeRequest) throws(APIError) -> KubeResponse {
        let options = try deleteOptions(request)
        let (labels, fields) = try selectors(route, request)
        let (stored, _) = store.list(
            group: route.resource.group, resource: route.resource.plural, namespace: route.namespace)
        var deleted: [JSONValue] = []
        for object in stored where Self.matches(object, labels, fields) {
            let name = object["metadata"]?["name"]?.stringValue ?? ""
            let key = ObjectKey(
                group: route.resource.group, resource: route.resource.plural,
                namespace: object["metadata"]?["namespace"]?.stringValue ?? "", name: name)
            let outcome: ObjectStore.Outcome
            do {
                outcome = try store.mutate(key, dryRun: request.isDryRun) {
                    (current) throws(APIError) -> ObjectStore.Change in
                    guard let current else { throw APIError.notFound(route.resource, name: name) }
                    return try deletion(of: current, route: route, options: options)
                }
            } catch {
                if error.code == 404 { continue }
                throw error
            }
            log("delete", route, request, outcome, name: name)
            deleted.append(present(outcome.object, route))
        }
        let list: JSONValue = [
            "apiVersion": .string(route.apiVersion), "kind": .string(route.resource.listKind),
            "metadata": ["resourceVersion": .string(String(store.revision))], "items": .array(deleted),
        ]
        return .json(code: 200, body: list, unstructured: isUnstructured(route))
    }

    private func deleteOptions(_ request: KubeRequest) throws(APIError) -> JSONValue {
        // Typed clients may send protobuf DeleteOptions; their defaults (no preconditions) are assumed then.
        guard !request.body.isEmpty, request.mediaType != KubeProtobuf.mediaType else { return [:] }
        do {
            return try JSONValue.parse(request.body)
        } catch {
            throw APIError.badRequest("the body of the request was in an unknown format")
        }
    }

    /// Preconditions, then either removal or (with finalizers) marking the object as being deleted.
    private func deletion(of current: JSONValue, route: ResourceRoute, options: JSONValue) throws(APIError)
        -> ObjectStore.Change
    {
        let metadata = current["metadata"]?.objectValue ?? [:]
        let name = metadata["name"]?.stringValue ?? ""
        let storageKey =
            "/registry/\(route.resource.group.isEmpty ? "" : route.resource.group + "/")\(route.resource.plural)/"
            + (route.resource.namespaced ? (metadata["namespace"]?.stringValue ?? "") + "/" : "") + name
        if let uid = options["preconditions"]?["uid"]?.stringValue, uid != metadata["uid"]?.stringValue {
            throw APIError.conflict(
                route.resource, name: name,
                reason:
                    "StorageError: invalid object, Code: 4, Key: \(storageKey), ResourceVersion: 0, AdditionalErrorMsg: Precondition failed: UID in precondition: \(uid), UID in object meta: \(metadata["uid"]?.stringValue ?? "")"
            )
        }
        if let version = options["preconditions"]?["resourceVersion"]?.stringValue,
            version != metadata["resourceVersion"]?.stringValue
        {
            throw APIError.conflict(
                route.resource, name: name,
                reason:
                    "StorageError: invalid object, Code: 4, Key: \(storageKey), ResourceVersion: 0, AdditionalErrorMsg: Precondition failed: ResourceVersion in precondition: \(version), ResourceVersion in object meta: \(metadata["resourceVersion"]?.stringValue ?? "")"
            )
        }
        let finalizers = metadata["finalizers"]?.arrayValue ?? []
        var isNamespace = false
        if case .namespace = route.resource.flavor { isNamespace = true }
        guard finalizers.isEmpty || isNamespace else {
            if metadata["deletionTimestamp"] != nil { return .none(current) }
            var marked = current
            marked["metadata"]?["deletionTimestamp"] = .string(KubeTime.seconds(now()))
            marked["metadata"]?["deletionGracePeriodSeconds"] = 0
            if route.resource.tracksGeneration {
                marked["metadata"]?["generation"] = .int((metadata["generation"]?.intValue ?? 0) + 1)
            }
            return .put(marked)
        }
        return .delete(current)
    }
}
