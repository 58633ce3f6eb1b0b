import BridgeKernel
import Foundation

extension APIHandler {
    /// The PATCH flavours, by `Content-Type`.
    enum PatchKind {
        case json
        case merge
        case strategicMerge
        case apply
    }

    /// `PATCH …/{name}[/status]`.
    func patch(_ route: ResourceRoute, _ request: KubeRequest) throws(APIError) -> KubeResponse {
        let kind: PatchKind
        switch request.mediaType {
        case "application/json-patch+json": kind = .json
        case "application/merge-patch+json": kind = .merge
        case "application/apply-patch+yaml": kind = .apply
        case "application/strategic-merge-patch+json" where route.resource.acceptsStrategicMergePatch:
            kind = .strategicMerge
        default:
            var accepted = [
                "application/json-patch+json", "application/merge-patch+json", "application/apply-patch+yaml",
            ]
            if route.resource.acceptsStrategicMergePatch {
                accepted.insert("application/strategic-merge-patch+json", at: 2)
            }
            throw APIError.unsupportedMediaType(request.mediaType, accepted: accepted)
        }
        if kind != .apply, request.query["force"] != nil {
            throw APIError.invalid(
                group: "meta.k8s.io", kind: "PatchOptions", name: "",
                errors: [.forbidden("force", "may not be specified for non-apply patch")])
        }
        if kind == .apply, (request.query["fieldManager"] ?? "").isEmpty {
            throw APIError.invalid(
                group: "meta.k8s.io", kind: "PatchOptions", name: "",
                errors: [.required("fieldManager", "is required for apply patch")])
        }
        let directive = try FieldValidationDirective.parse(request.query["fieldValidation"])
        let patch: JSONValue
        do {
            patch = try request.bodyDocument()
        } catch {
            throw APIError.badRequest("error decoding patch: \(error.message)")
        }
        let name = route.name ?? ""
        var warnings: [String] = []
        var created = false
        let namespaceError = missingNamespace(route)
        let outcome = try store.mutate(route.key, dryRun: request.isDryRun) {
            (current) throws(APIError) -> ObjectStore.Change in
            if kind == .apply {
                return try apply(
                    patch, to: current, route: route, request: request, directive: directive,
                    namespaceError: namespaceError, created: &created, warnings: &warnings)
            }
            guard let current else { throw APIError.notFound(route.resource, name: name) }
            let target = present(current, route)
            var patched: JSONValue
            switch kind {
            case .merge, .strategicMerge:
                guard case .object = patch else {
                    throw APIError.badRequest(
                        "error decoding patch: json: cannot unmarshal \(patch.schemaTypeName) into Go value of type map[string]interface {}"
                    )
                }
                if kind == .merge {
                    patched = JSONMergePatch.apply(patch, to: target)
                } else {
                    do throws(StrategicMergePatch.Failure) {
                        patched = try StrategicMergePatch.apply(patch, to: target, schema: route.resource.mergeSchema)
                    } catch {
                        throw APIError.badRequest(error.message)
                    }
                }
            case .json:
                do throws(JSONPatch.Failure) {
                    patched = try JSONPatch.apply(patch, to: target)
                } catch {
                    if error.isDecodingError { throw APIError.badRequest(error.message) }
                    throw APIError.status(code: 422, reason: "Invalid", message: error.message, details: [:])
                }
            case .apply:
                patched = target
            }
            let requested = patched["metadata"]?["resourceVersion"]?.stringValue ?? ""
            let actual = current["metadata"]?["resourceVersion"]?.stringValue ?? ""
            if !requested.isEmpty, requested != actual { throw APIError.conflict(route.resource, name: name) }
            if patched["metadata"]?["name"]?.stringValue != name {
                throw APIError.badRequest(
                    "the name of the object (\(patched["metadata"]?["name"]?.stringValue ?? "")) does not match the name on the URL (\(name))"
                )
            }
            patched["apiVersion"] = .string(route.apiVersion)
            patched["kind"] = .string(route.resource.kind)
            return try prepareUpdate(
                old: current, new: patched, route: route, request: request, directive: directive, entries: nil,
                warnings: &warnings)
        }
        log(kind == .apply ? "apply" : "patch", route, request, outcome, name: name)
        return objectResponse(
            present(outcome.object, route), route, request, code: created ? 201 : 200, warnings: warnings)
    }

    /// Server-side apply of `config` (the body) onto `current`.
    private func apply(
        _ config: JSONValue, to current: JSONValue?, route: ResourceRoute, request: KubeRequest,
        directive: FieldValidationDirective, namespaceError: APIError?, created: inout Bool, warnings: inout [String]
    ) throws(APIError) -> ObjectStore.Change {
        guard case .object = config else {
            throw APIError.badRequest("error decoding patch: the apply patch must be an object")
        }
        let apiVersion = config["apiVersion"]?.stringValue ?? ""
        if apiVersion != route.apiVersion {
            throw APIError.badRequest(
                "Incorrect version specified in apply patch. Specified patch version: \(apiVersion), expected: \(route.apiVersion)"
            )
        }
        let kind = config["kind"]?.stringValue ?? ""
        if kind != route.resource.kind {
            throw APIError.badRequest(
                "Incorrect kind specified in apply patch. Specified patch kind: \(kind), expected: \(route.resource.kind)"
            )
        }
        if config["metadata"]?["managedFields"] != nil {
            throw APIError.badRequest("metadata.managedFields must be nil")
        }
        let name = route.name ?? ""
        let bodyName = config["metadata"]?["name"]?.stringValue ?? ""
        if bodyName != name {
            throw APIError.badRequest(
                "the name of the object (\(bodyName)) does not match the name on the URL (\(name))")
        }
        let intent = try fillNamespace(config, route)
        let requested = intent["metadata"]?["resourceVersion"]?.stringValue ?? ""
        if !requested.isEmpty {
            guard let current else { throw APIError.notFound(route.resource, name: name) }
            if requested != current["metadata"]?["resourceVersion"]?.stringValue {
                throw APIError.conflict(route.resource, name: name)
            }
        }
        let isStatus = route.subresource == "status"
        let live = current.map { present($0, route) }
        let result: ServerSideApply.Result
        do {
            result = try ServerSideApply.apply(
                config: intent, to: live, manager: request.query["fieldManager"] ?? "", apiVersion: route.apiVersion,
                subresource: route.subresource ?? "", force: request.flag("force"), schema: route.resource.mergeSchema,
                ignoringStatus: route.resource.hasStatusSubresource && !isStatus, now: now())
        } catch {
            throw APIError.status(
                code: 409, reason: "Conflict", message: error.message, details: ["causes": .array(error.causes)])
        }
        var merged = result.object
        merged["apiVersion"] = .string(route.apiVersion)
        merged["kind"] = .string(route.resource.kind)
        var metadata = merged["metadata"]?.objectValue ?? [:]
        metadata["name"] = .string(name)
        if let namespace = route.namespace { metadata["namespace"] = .string(namespace) }
        merged["metadata"] = .object(metadata)
        guard let current else {
            guard !isStatus else { throw APIError.notFound(route.resource, name: name) }
            if let namespaceError { throw namespaceError }
            created = true
            return .put(
                try prepareCreate(
                    merged, route: route, request: request, directive: directive, entries: result.entries,
                    warnings: &warnings))
        }
        return try prepareUpdate(
            old: current, new: merged, route: route, request: request, directive: directive, entries: result.entries,
            warnings: &warnings)
    }
}
