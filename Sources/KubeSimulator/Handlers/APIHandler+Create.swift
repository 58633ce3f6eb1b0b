import BridgeKernel
import Foundation

extension APIHandler {
    /// `POST …/{resource}`.
    func create(_ route: ResourceRoute, _ request: KubeRequest) throws(APIError) -> KubeResponse {
        let directive = try FieldValidationDirective.parse(request.query["fieldValidation"])
        try checkBodyMediaType(request, route)
        var object = try request.bodyDocument()
        try checkTypeMeta(object, route)
        object = try fillNamespace(object, route)
        if var metadata = object["metadata"]?.objectValue,
            metadata["name"]?.stringValue?.isEmpty ?? true, let prefix = metadata["generateName"]?.stringValue,
            !prefix.isEmpty
        {
            metadata["name"] = .string(prefix + Self.randomSuffix())
            object["metadata"] = .object(metadata)
        }
        let name = object["metadata"]?["name"]?.stringValue ?? ""
        let key = ObjectKey(
            group: route.resource.group, resource: route.resource.plural, namespace: route.namespace ?? "", name: name)
        try requireNamespace(route)
        var warnings: [String] = []
        let outcome = try store.mutate(key, dryRun: request.isDryRun) {
            (current) throws(APIError) -> ObjectStore.Change in
            let prepared = try prepareCreate(
                object, route: route, request: request, directive: directive, entries: nil, warnings: &warnings)
            if current != nil { throw APIError.alreadyExists(route.resource, name: name) }
            return .put(prepared)
        }
        log("create", route, request, outcome, name: name)
        return objectResponse(present(outcome.object, route), route, request, code: 201, warnings: warnings)
    }

    /// Validation and system fields for a new object (create, create-on-update, apply to a missing object).
    /// `entries` are the managed fields to record (apply); `nil` records an `Update` by the request's manager.
    func prepareCreate(
        _ body: JSONValue, route: ResourceRoute, request: KubeRequest, directive: FieldValidationDirective,
        entries: [ManagedFieldsEntry]?, warnings: inout [String]
    ) throws(APIError) -> JSONValue {
        var object = body
        let resourceVersion = object["metadata"]?["resourceVersion"]?.stringValue ?? ""
        if route.resource.hasStatusSubresource { object["status"] = nil }
        if case .namespace = route.resource.flavor {
            object["spec"] = ["finalizers": ["kubernetes"]]
            object["status"] = ["phase": "Active"]
        }
        var admitted = try Admission.validate(
            object, resource: route.resource, version: route.version, namespace: route.namespace, directive: directive)
        warnings.append(contentsOf: admitted.warnings)
        if !resourceVersion.isEmpty {
            throw APIError.status(
                code: 500, reason: "", message: "resourceVersion should not be set on objects to be created")
        }
        var metadata = admitted.object["metadata"]?.objectValue ?? [:]
        for field in [
            "resourceVersion", "deletionTimestamp", "deletionGracePeriodSeconds", "selfLink", "managedFields",
        ] {
            metadata[field] = nil
        }
        metadata["uid"] = .string(UUID().uuidString.lowercased())
        metadata["creationTimestamp"] = .string(KubeTime.seconds(now()))
        if route.resource.tracksGeneration { metadata["generation"] = 1 } else { metadata["generation"] = nil }
        admitted.object["metadata"] = .object(metadata)
        var stored = storageForm(admitted.object, route)
        let managed =
            entries
            ?? UpdateOwnership.record(
                old: nil, new: stored, manager: request.fieldManager, apiVersion: route.apiVersion,
                subresource: route.subresource ?? "", schema: route.resource.mergeSchema,
                ignoringStatus: route.resource.hasStatusSubresource, now: now())
        stored = ManagedFieldsEntry.setting(managed, on: stored)
        return stored
    }

    // MARK: Request checks shared by writes

    /// Bodies of create and update must be JSON or YAML.
    /// Built-in Namespaces may also be sent as protobuf (kubectl's typed clients do).
    func checkBodyMediaType(_ request: KubeRequest, _ route: ResourceRoute) throws(APIError) {
        let type = request.mediaType
        var accepted = ["application/json", "application/yaml"]
        if case .namespace = route.resource.flavor { accepted.append(KubeProtobuf.mediaType) }
        guard type.isEmpty || type == "*/*" || accepted.contains(type) else {
            throw APIError.unsupportedMediaType(type, accepted: accepted)
        }
    }

    /// `apiVersion`/`kind` of a body against the URL (400 as the apiserver's decoder answers).
    func checkTypeMeta(_ object: JSONValue, _ route: ResourceRoute) throws(APIError) {
        guard case .object = object else {
            throw APIError.badRequest("the object provided is unrecognized (must be of type \(route.resource.kind))")
        }
        let apiVersion = object["apiVersion"]?.stringValue ?? ""
        let kind = object["kind"]?.stringValue ?? ""
        if kind.isEmpty {
            throw APIError.badRequest("Object 'Kind' is missing in '\(String(object.canonicalJSON.prefix(200)))'")
        }
        if !apiVersion.isEmpty, apiVersion != route.apiVersion {
            throw APIError.badRequest(
                "the API version in the data (\(apiVersion)) does not match the expected API version (\(route.apiVersion))"
            )
        }
        if case .custom = route.resource.flavor { return }
        if kind != route.resource.kind {
            throw APIError.badRequest(
                "\(kind) in version \(KubeJSON.quote(route.version)) cannot be handled as a \(route.resource.kind): no kind \(KubeJSON.quote(kind)) is registered for version \(KubeJSON.quote(route.apiVersion))"
            )
        }
    }

    /// Fills an empty `metadata.namespace` from the URL and rejects a different one.
    func fillNamespace(_ object: JSONValue, _ route: ResourceRoute) throws(APIError) -> JSONValue {
        var object = object
        var metadata = object["metadata"]?.objectValue ?? [:]
        let given = metadata["namespace"]?.stringValue ?? ""
        if route.resource.namespaced, let namespace = route.namespace {
            if given.isEmpty {
                metadata["namespace"] = .string(namespace)
            } else if given != namespace {
                throw APIError.badRequest(
                    "the namespace of the provided object does not match the namespace sent on the request")
            }
        } else if !given.isEmpty, !route.resource.namespaced {
            metadata["namespace"] = nil
        }
        object["metadata"] = .object(metadata)
        return object
    }

    /// NamespaceLifecycle: objects can only be created in existing namespaces.
    func requireNamespace(_ route: ResourceRoute) throws(APIError) {
        if let error = missingNamespace(route) { throw error }
    }

    /// The 404 for creating in a namespace that does not exist, if it does not. Must be called outside store
    /// mutations (it reads the store).
    func missingNamespace(_ route: ResourceRoute) -> APIError? {
        guard route.resource.namespaced, let namespace = route.namespace else { return nil }
        let key = ObjectKey(group: "", resource: "namespaces", namespace: "", name: namespace)
        return store.object(key) == nil ? APIError.namespaceNotFound(namespace) : nil
    }

    /// The five random characters `generateName` appends.
    static func randomSuffix() -> String {
        let alphabet = Array("bcdfghjklmnpqrstvwxz2456789")
        return String((0..<5).map { _ in alphabet.randomElement()! })
    }
}
