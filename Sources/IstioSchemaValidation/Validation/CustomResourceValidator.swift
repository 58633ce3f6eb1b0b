import BridgeKernel

/// Options for one validation.
public struct ValidationOptions: Sendable, Hashable {
    /// The namespace of the request URL. The apiserver fills an object's missing `metadata.namespace` from the
    /// URL before validating; `nil` validates the object as given (a namespaced object without a namespace then
    /// fails with `metadata.namespace: Required value`).
    public var requestNamespace: String?

    /// Creates options.
    public init(requestNamespace: String? = nil) {
        self.requestNamespace = requestNamespace
    }
}

/// Validates custom resources of one served version of a CRD exactly like kube-apiserver does on create:
/// prune unknown fields and non-nullable nulls, check `apiVersion`/`kind`, validate `metadata`, the
/// OpenAPI schema, list-type uniqueness and the `x-kubernetes-validations` rules.
///
/// Immutable and cheap to copy; the compiled schema is shared.
public struct CustomResourceValidator: Sendable {
    /// The API group (`networking.istio.io`).
    public let group: String
    /// The version this validator serves (`v1`).
    public let version: String
    /// The kind (`ServiceEntry`).
    public let kind: String
    /// Whether objects live in a namespace.
    public let isNamespaced: Bool
    let schema: SchemaNode

    init(group: String, version: String, kind: String, isNamespaced: Bool, schema: SchemaNode) {
        self.group = group
        self.version = version
        self.kind = kind
        self.isNamespaced = isNamespaced
        self.schema = schema
    }

    /// `group/version`, the `apiVersion` objects of this version carry.
    public var apiVersion: String { group + "/" + version }

    /// Validates one object (a JSON object with `apiVersion`, `kind`, `metadata`, `spec`, ...).
    public func validate(_ object: JSONValue, options: ValidationOptions = ValidationOptions()) -> ValidationResult {
        var candidate = object
        if let namespace = options.requestNamespace, isNamespaced, case .object(var members) = candidate {
            var metadata = members["metadata"]?.objectValue ?? [:]
            if metadata["namespace"]?.stringValue?.isEmpty ?? true {
                metadata["namespace"] = .string(namespace)
                members["metadata"] = .object(metadata)
                candidate = .object(members)
            }
        }
        let name = candidate["metadata"]?["name"]?.stringValue ?? ""
        var result = ValidationResult(group: group, kind: kind, name: name, object: candidate)

        // Decoding: metadata first (its unknown fields come first), then schema pruning.
        var unknownFields: [String] = []
        let metadata: ObjectMetadata
        do {
            metadata = try ObjectMetadata.decode(candidate["metadata"] ?? .null, unknownFields: &unknownFields)
        } catch {
            result.decodingFailure = error.message
            return result
        }
        let (pruned, prunedFields) = Pruning.prune(candidate, root: schema)
        unknownFields.append(contentsOf: prunedFields)
        result.unknownFields = unknownFields
        result.object = Self.droppingUnknownMetadata(pruned, unknownFields)

        // ValidateTypeMeta returns alone when it fails.
        var errors: [FieldError] = []
        let actualKind = pruned["kind"]?.stringValue ?? ""
        let actualAPIVersion = pruned["apiVersion"]?.stringValue ?? ""
        if !GoString.equal(actualKind, kind) {
            errors.append(.invalid("kind", .string(actualKind), "must be \(kind)"))
        }
        if !GoString.equal(actualAPIVersion, apiVersion) {
            errors.append(.invalid("apiVersion", .string(actualAPIVersion), "must be \(apiVersion)"))
        }
        if !errors.isEmpty {
            result.errors = errors
            return result
        }

        errors.append(contentsOf: ObjectMetadataValidator.validate(metadata, namespaced: isNamespaced))
        var schemaErrors: [FieldError] = []
        OpenAPIValueValidator.validate(pruned, schema, .root, into: &schemaErrors)
        errors.append(contentsOf: Self.deduplicated(schemaErrors))
        ListTypeValidator.validate(pruned, schema, .root, into: &errors)
        // The apiserver has no rule validator at all for a schema without rules, hence no "not checked" error.
        guard schema.hasRulesInSubtree else {
            result.errors = errors
            return result
        }
        if errors.contains(where: { $0.reason.blocksValidationRules }) {
            errors.append(
                .invalid(
                    "<nil>", .null,
                    "some validation rules were not checked because the object was invalid; correct the existing errors to complete validation"
                ))
        } else {
            RuleValidator.validate(pruned, schema, .root, into: &errors)
        }
        result.errors = errors
        return result
    }

    /// kube-openapi never reports the same error text twice for one object.
    private static func deduplicated(_ errors: [FieldError]) -> [FieldError] {
        guard errors.count > 1 else { return errors }
        var seen = Set<FieldError>()
        return errors.filter { seen.insert($0).inserted }
    }

    /// The apiserver re-encodes `metadata` from the decoded ObjectMeta, which drops unknown members.
    private static func droppingUnknownMetadata(_ object: JSONValue, _ unknownFields: [String]) -> JSONValue {
        let topLevel = unknownFields.compactMap { path -> String? in
            guard path.hasPrefix("metadata.") else { return nil }
            let member = path.dropFirst("metadata.".count)
            return member.contains(".") || member.contains("[") ? nil : String(member)
        }
        guard !topLevel.isEmpty, case .object(var members) = object, case .object(var metadata)? = members["metadata"]
        else { return object }
        for member in topLevel { metadata[member] = nil }
        members["metadata"] = .object(metadata)
        return .object(members)
    }
}
