import BridgeKernel
import Foundation

/// Serves the Kubernetes API over the store: discovery, OpenAPI, and the resource verbs.
struct APIHandler: Sendable {
    let catalog: ResourceCatalog
    let store: ObjectStore
    let writeLog: WriteLog
    let discovery: DiscoveryDocuments
    let openAPI: OpenAPIDocuments
    let bookmarkInterval: Duration
    let now: @Sendable () -> Date

    /// Answers one authenticated request.
    func handle(_ request: KubeRequest) async -> KubeResponse {
        do {
            return try await dispatch(request)
        } catch {
            return .error(error)
        }
    }

    private func dispatch(_ request: KubeRequest) async throws(APIError) -> KubeResponse {
        guard let route = Route.resolve(request.segments, catalog: catalog) else { throw APIError.pathNotFound }
        if case .resource(let resourceRoute) = route {
            return try await resource(resourceRoute, request)
        }
        guard request.method == "GET" || request.method == "HEAD" else { throw APIError.methodNotAllowed }
        switch route {
        case .version:
            return .json(code: 200, body: discovery.version, unstructured: false)
        case .health:
            return .json(code: 200, body: "ok", unstructured: false)
        case .legacyAPI, .apis:
            let core: Bool
            if case .legacyAPI = route { core = true } else { core = false }
            switch try DiscoveryNegotiation.choose(request.accept) {
            case .aggregated(let version):
                let apiVersion = "apidiscovery.k8s.io/" + version
                let contentType =
                    version == "v2" ? DiscoveryDocuments.aggregatedV2 : DiscoveryDocuments.aggregatedV2Beta1
                return .json(
                    code: 200, body: discovery.aggregated(core: core, apiVersion: apiVersion), unstructured: false,
                    contentType: contentType)
            case .legacy:
                return .json(
                    code: 200, body: core ? discovery.legacyAPIVersions : discovery.apiGroupList, unstructured: false)
            }
        case .legacyAPIVersion(let version):
            return .json(code: 200, body: discovery.resourceList(group: "", version: version), unstructured: false)
        case .apiGroup(let group):
            return .json(code: 200, body: discovery.apiGroup(group), unstructured: false)
        case .groupVersion(let group, let version):
            return .json(code: 200, body: discovery.resourceList(group: group, version: version), unstructured: false)
        case .openAPIV3Root:
            return .json(code: 200, body: openAPI.root, unstructured: true)
        case .openAPIV3(let path):
            guard let document = openAPI.document(path: path) else { throw APIError.pathNotFound }
            return .json(code: 200, body: document, unstructured: true)
        case .openAPIV2:
            throw APIError.pathNotFound
        case .resource:
            throw APIError.pathNotFound
        }
    }

    private func resource(_ route: ResourceRoute, _ request: KubeRequest) async throws(APIError) -> KubeResponse {
        switch (request.method, route.name, route.subresource) {
        case ("GET", nil, _):
            if request.flag("watch") { return try watch(route, request) }
            return try list(route, request)
        case ("GET", .some, _):
            return try get(route, request)
        case ("POST", nil, nil) where route.namespace != nil || !route.resource.namespaced:
            return try create(route, request)
        case ("PUT", .some, _):
            return try update(route, request)
        case ("PATCH", .some, _):
            return try patch(route, request)
        case ("DELETE", .some, nil):
            return try delete(route, request)
        case ("DELETE", nil, nil) where route.namespace != nil || !route.resource.namespaced:
            return try deleteCollection(route, request)
        default:
            throw APIError.methodNotAllowed
        }
    }

    // MARK: Shared helpers

    /// A stored object as seen through the requested version.
    func present(_ stored: JSONValue, _ route: ResourceRoute) -> JSONValue {
        var object = stored
        object["apiVersion"] = .string(route.apiVersion)
        object["kind"] = .string(route.resource.kind)
        return object
    }

    /// The object as stored (storage version).
    func storageForm(_ object: JSONValue, _ route: ResourceRoute) -> JSONValue {
        var object = object
        object["apiVersion"] = .string(route.resource.apiVersion(route.resource.storageVersion))
        object["kind"] = .string(route.resource.kind)
        return object
    }

    /// Whether the type is a custom resource (written as unstructured JSON).
    func isUnstructured(_ route: ResourceRoute) -> Bool {
        route.resource.isUnstructured
    }

    /// A single object response, as a Table when asked for.
    func objectResponse(
        _ object: JSONValue, _ route: ResourceRoute, _ request: KubeRequest, code: Int = 200, warnings: [String] = []
    )
        -> KubeResponse
    {
        if request.wantsTable {
            let table = TableRenderer.table(
                [object], resource: route.resource,
                listMetadata: ["resourceVersion": object["metadata"]?["resourceVersion"] ?? ""],
                includeObject: request.query["includeObject"], now: now())
            return .json(code: code, body: table, unstructured: false, warnings: warnings)
        }
        return .json(code: code, body: object, unstructured: isUnstructured(route), warnings: warnings)
    }

    /// Records a successful write.
    func log(
        _ verb: String, _ route: ResourceRoute, _ request: KubeRequest, _ outcome: ObjectStore.Outcome, name: String
    ) {
        guard !request.isDryRun else { return }
        let changed: Bool
        if case .unchanged = outcome { changed = false } else { changed = true }
        let revision = Int64(outcome.object["metadata"]?["resourceVersion"]?.stringValue ?? "") ?? store.revision
        writeLog.append(
            WriteRecord(
                time: now(), verb: verb,
                key: ObjectKey(
                    group: route.resource.group, resource: route.resource.plural, namespace: route.namespace ?? "",
                    name: name),
                subresource: route.subresource ?? "", user: request.user.name, userAgent: request.userAgent,
                fieldManager: request.fieldManager, resourceVersion: revision, changed: changed))
    }

    /// Parses `labelSelector` and `fieldSelector`.
    func selectors(_ route: ResourceRoute, _ request: KubeRequest) throws(APIError) -> (LabelSelector, FieldSelector) {
        do {
            let labels = try request.query["labelSelector"].map(LabelSelector.parse) ?? .everything
            let fields =
                try request.query["fieldSelector"].map {
                    (text: String) throws(SelectorError) -> FieldSelector in
                    try FieldSelector.parse(text, extraFields: route.resource.extraSelectableFields)
                } ?? .everything
            return (labels, fields)
        } catch {
            throw APIError.badRequest(error.message)
        }
    }

    /// Whether an object passes both selectors.
    static func matches(_ object: JSONValue, _ labels: LabelSelector, _ fields: FieldSelector) -> Bool {
        let objectLabels = (object["metadata"]?["labels"]?.objectValue ?? [:]).compactMapValues(\.stringValue)
        return labels.matches(objectLabels) && fields.matches(object)
    }
}

/// Content negotiation for `/api` and `/apis`.
enum DiscoveryNegotiation {
    enum Choice {
        case aggregated(version: String)
        case legacy
    }

    static func choose(_ accept: String) throws(APIError) -> Choice {
        let entries = accept.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        if entries.isEmpty || accept.isEmpty { return .legacy }
        for entry in entries {
            let parts = entry.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            guard let type = parts.first else { continue }
            let parameters = Set(parts.dropFirst().filter { !$0.hasPrefix("q=") })
            if type == "application/json", parameters.contains("g=apidiscovery.k8s.io"),
                parameters.contains("as=apigroupdiscoverylist")
            {
                if parameters.contains("v=v2") { return .aggregated(version: "v2") }
                if parameters.contains("v=v2beta1") { return .aggregated(version: "v2beta1") }
                continue
            }
            if parameters.isEmpty, ["application/json", "*/*", "application/*"].contains(type) { return .legacy }
        }
        throw APIError.notAcceptable(["application/json", "application/yaml", "application/vnd.kubernetes.protobuf"])
    }
}
