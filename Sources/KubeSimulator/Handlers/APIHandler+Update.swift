import BridgeKernel
import Foundation

extension APIHandler {
    /// `PUT …/{name}[/status]`: optimistic concurrency on `metadata.resourceVersion`.
    func update(_ route: ResourceRoute, _ request: KubeRequest) throws(APIError) -> KubeResponse {
        let directive = try FieldValidationDirective.parse(request.query["fieldValidation"])
        try checkBodyMediaType(request, route)
        var object = try request.bodyDocument()
        try checkTypeMeta(object, route)
        let name = route.name ?? ""
        let bodyName = object["metadata"]?["name"]?.stringValue ?? ""
        if bodyName != name {
            throw APIError.badRequest(
                "the name of the object (\(bodyName)) does not match the name on the URL (\(name))")
        }
        object = try fillNamespace(object, route)
        var warnings: [String] = []
        var created = false
        let namespaceError = missingNamespace(route)
        let outcome = try store.mutate(route.key, dryRun: request.isDryRun) {
            (current) throws(APIError) -> ObjectStore.Change in
            guard let current else {
                guard route.resource.allowsCreateOnUpdate, route.subresource == nil else {
                    throw APIError.notFound(route.resource, name: name)
                }
                if let namespaceError { throw namespaceError }
                var fresh = object
                var metadata = fresh["metadata"]?.objectValue ?? [:]
                metadata["resourceVersion"] = nil
                fresh["metadata"] = .object(metadata)
                created = true
                return .put(
                    try prepareCreate(
                        fresh, route: route, request: request, directive: directive, entries: nil, warnings: &warnings))
            }
            let resourceVersion = object["metadata"]?["resourceVersion"]?.stringValue ?? ""
            if resourceVersion.isEmpty {
                throw APIError.invalid(
                    group: route.resource.group, kind: route.resource.plural, name: name,
                    errors: [
                        .invalid("metadata.resourceVersion", value: "0x0", "must be specified for an update")
                    ])
            }
            if resourceVersion != current["metadata"]?["resourceVersion"]?.stringValue {
                throw APIError.conflict(route.resource, name: name)
            }
            return try prepareUpdate(
                old: current, new: object, route: route, request: request, directive: directive, entries: nil,
                warnings: &warnings)
        }
        log("update", route, request, outcome, name: name)
        return objectResponse(
            present(outcome.object, route), route, request, code: created ? 201 : 200, warnings: warnings)
    }

    /// The update strategy shared by PUT and PATCH: keep system fields, isolate `status`, validate, bump
    /// `generation` on non-metadata changes, track field ownership, and detect no-op writes.
    func prepareUpdate(
        old: JSONValue, new: JSONValue, route: ResourceRoute, request: KubeRequest,
        directive: FieldValidationDirective, entries: [ManagedFieldsEntry]?, warnings: inout [String]
    ) throws(APIError) -> ObjectStore.Change {
        let oldPresented = present(old, route)
        var candidate = new
        let isStatus = route.subresource == "status"
        if isStatus {
            var replaced = oldPresented
            replaced["status"] = new["status"]
            candidate = replaced
        } else if route.resource.hasStatusSubresource {
            candidate["status"] = oldPresented["status"]
        }
        var metadata = candidate["metadata"]?.objectValue ?? [:]
        let oldMetadata = oldPresented["metadata"]?.objectValue ?? [:]
        let uid = metadata["uid"]?.stringValue ?? ""
        if !uid.isEmpty, uid != oldMetadata["uid"]?.stringValue {
            throw APIError.invalid(
                group: route.resource.group, kind: route.resource.kind, name: route.name ?? "",
                errors: [.invalid("metadata.uid", value: KubeJSON.quote(uid), "field is immutable")])
        }
        for field in [
            "uid", "creationTimestamp", "generation", "deletionTimestamp", "deletionGracePeriodSeconds", "name",
            "namespace",
        ] {
            metadata[field] = oldMetadata[field]
        }
        metadata["managedFields"] = nil
        metadata["resourceVersion"] = nil
        candidate["metadata"] = .object(metadata)
        if case .namespace = route.resource.flavor, !isStatus {
            candidate["status"] = oldPresented["status"]
        }
        let admitted = try Admission.validate(
            candidate, resource: route.resource, version: route.version, namespace: route.namespace,
            directive: directive)
        warnings.append(contentsOf: admitted.warnings)
        var updated = admitted.object

        if case .builtin(let kind) = route.resource.flavor, !isStatus {
            let causes = BuiltinValidation.updateCauses(kind, old: oldPresented, new: updated)
            if !causes.isEmpty {
                throw APIError.invalid(
                    group: route.resource.group, kind: route.resource.kind, name: route.name ?? "", errors: causes)
            }
        }
        if Self.bumpsGeneration(
            route.resource.generationPolicy, old: oldPresented, new: updated,
            ignoringStatus: route.resource.hasStatusSubresource)
        {
            let generation = (oldMetadata["generation"]?.intValue ?? 0) + 1
            updated["metadata"]?["generation"] = .int(generation)
        }
        var stored = storageForm(updated, route)
        stored["metadata"]?["resourceVersion"] = old["metadata"]?["resourceVersion"]
        let managed =
            entries
            ?? UpdateOwnership.record(
                old: old, new: stored, manager: request.fieldManager, apiVersion: route.apiVersion,
                subresource: route.subresource ?? "", schema: route.resource.mergeSchema,
                ignoringStatus: route.resource.hasStatusSubresource && !isStatus, now: now())
        stored = ManagedFieldsEntry.setting(managed, on: stored)
        if stored == old { return .none(old) }
        if stored["metadata"]?["deletionTimestamp"] != nil,
            stored["metadata"]?["finalizers"]?.arrayValue?.isEmpty ?? true
        {
            return .delete(stored)
        }
        return .put(stored)
    }

    /// Whether an update moves `metadata.generation` on, by the type's policy.
    static func bumpsGeneration(
        _ policy: ServedResource.GenerationPolicy, old: JSONValue, new: JSONValue, ignoringStatus: Bool
    ) -> Bool {
        switch policy {
        case .none:
            return false
        case .spec:
            return specChanged(old: old, new: new, ignoringStatus: ignoringStatus)
        case .specAndAnnotations:
            // Semantic equality: no annotations and an empty map are the same.
            func annotations(_ object: JSONValue) -> [String: JSONValue] {
                object["metadata"]?["annotations"]?.objectValue ?? [:]
            }
            return specChanged(old: old, new: new, ignoringStatus: ignoringStatus)
                || annotations(old) != annotations(new)
        }
    }

    /// Whether anything outside `metadata` (and `status`, when it has its own endpoint) changed.
    static func specChanged(old: JSONValue, new: JSONValue, ignoringStatus: Bool) -> Bool {
        func content(_ object: JSONValue) -> JSONValue {
            var object = object
            object["metadata"] = nil
            object["apiVersion"] = nil
            object["kind"] = nil
            if ignoringStatus { object["status"] = nil }
            return object
        }
        return content(old) != content(new)
    }
}
