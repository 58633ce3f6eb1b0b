import BridgeKernel

/// An `apiextensions.k8s.io/v1` CustomResourceDefinition: the facts a Kubernetes API needs for discovery and
/// routing, and a compiled validator for every version.
public struct CustomResourceDefinition: Sendable {
    /// `spec.scope`.
    public enum Scope: String, Sendable, Hashable {
        case namespaced = "Namespaced"
        case cluster = "Cluster"
    }

    /// `spec.names`.
    public struct Names: Sendable, Hashable {
        /// `kind` (`ServiceEntry`).
        public var kind: String
        /// `listKind` (`ServiceEntryList`).
        public var listKind: String
        /// `plural`, the resource name in URLs (`serviceentries`).
        public var plural: String
        /// `singular` (`serviceentry`).
        public var singular: String
        /// `shortNames` (`se`).
        public var shortNames: [String]
        /// `categories` (`istio-io`, `networking-istio-io`).
        public var categories: [String]
    }

    /// `spec.versions[].additionalPrinterColumns[]`.
    public struct PrinterColumn: Sendable, Hashable {
        public var name: String
        public var type: String
        public var format: String?
        public var description: String?
        public var priority: Int
        public var jsonPath: String
    }

    /// One entry of `spec.versions`.
    public struct Version: Sendable {
        /// `name` (`v1`).
        public var name: String
        /// Whether the version is served over the API.
        public var served: Bool
        /// Whether this is the storage version.
        public var storage: Bool
        /// `deprecated`.
        public var deprecated: Bool
        /// `deprecationWarning`, if any.
        public var deprecationWarning: String?
        /// Whether the `status` subresource is enabled.
        public var hasStatusSubresource: Bool
        /// The printer columns, in CRD order.
        public var printerColumns: [PrinterColumn]
        /// The validator for objects of this version.
        public var validator: CustomResourceValidator
    }

    /// `metadata.name` (`serviceentries.networking.istio.io`).
    public let name: String
    /// `spec.group`.
    public let group: String
    /// `spec.names`.
    public let names: Names
    /// `spec.scope`.
    public let scope: Scope
    /// `spec.versions`, in CRD order.
    public let versions: [Version]
    /// The whole CRD document as JSON (e.g. to serve it or to derive OpenAPI documents).
    public let document: JSONValue

    /// Loads a CRD from YAML text (one document).
    ///
    /// - Throws: ``CRDLoadingError`` when the text is not a CRD or uses schema features or validation rules this
    ///   package cannot enforce.
    public init(yaml: String, source: String? = nil) throws(CRDLoadingError) {
        let document: JSONValue
        do {
            document = try KubernetesYAML.document(yaml)
        } catch {
            throw CRDLoadingError(code: .malformedYAML, source: source, detail: error.description)
        }
        try self.init(document: document, source: source)
    }

    /// Loads a CRD from its JSON form.
    public init(document: JSONValue, source: String? = nil) throws(CRDLoadingError) {
        var reader = DocumentReader(document: document, source: source)
        guard reader.string(document["apiVersion"], "apiVersion") == "apiextensions.k8s.io/v1",
            reader.string(document["kind"], "kind") == "CustomResourceDefinition"
        else {
            throw CRDLoadingError(
                code: .malformedDefinition, source: source,
                detail: "not an apiextensions.k8s.io/v1 CustomResourceDefinition")
        }
        let name = try reader.requiredString(document["metadata"]?["name"], "metadata.name")
        reader.source = source ?? name
        let spec = document["spec"] ?? .null
        let group = try reader.requiredString(spec["group"], "spec.group")
        let namesValue = spec["names"] ?? .null
        let kind = try reader.requiredString(namesValue["kind"], "spec.names.kind")
        let plural = try reader.requiredString(namesValue["plural"], "spec.names.plural")
        let names = Names(
            kind: kind,
            listKind: reader.string(namesValue["listKind"], "spec.names.listKind") ?? kind + "List",
            plural: plural,
            singular: reader.string(namesValue["singular"], "spec.names.singular") ?? kind.lowercased(),
            shortNames: try reader.stringList(namesValue["shortNames"], "spec.names.shortNames"),
            categories: try reader.stringList(namesValue["categories"], "spec.names.categories")
        )
        guard let scope = Scope(rawValue: try reader.requiredString(spec["scope"], "spec.scope")) else {
            throw reader.failure(.malformedDefinition, "spec.scope", "scope must be Namespaced or Cluster")
        }
        guard let versionList = spec["versions"]?.arrayValue, !versionList.isEmpty else {
            throw reader.failure(.malformedDefinition, "spec.versions", "at least one version is required")
        }
        if spec["conversion"]?["strategy"]?.stringValue.map({ $0 != "None" }) ?? false {
            throw reader.failure(
                .unsupportedSchemaFeature, "spec.conversion", "only the None conversion strategy is supported")
        }

        let compiler = SchemaCompiler(source: reader.source ?? name)
        var compiled: [(schema: JSONValue, node: SchemaNode)] = []
        var versions: [Version] = []
        for (index, entry) in versionList.enumerated() {
            let location = "spec.versions[\(index)]"
            let versionName = try reader.requiredString(entry["name"], location + ".name")
            guard let schema = entry["schema"]?["openAPIV3Schema"] else {
                throw reader.failure(
                    .malformedDefinition, location + ".schema.openAPIV3Schema", "every version needs a schema")
            }
            if entry["subresources"]?["scale"] != nil {
                throw reader.failure(
                    .unsupportedSchemaFeature, location + ".subresources.scale",
                    "the scale subresource is not supported")
            }
            // Versions with equal schemas (all three in the Istio CRDs) share one compiled tree.
            let node: SchemaNode
            if let existing = compiled.first(where: { $0.schema == schema }) {
                node = existing.node
            } else {
                node = try compiler.compile(schema, at: location + ".schema.openAPIV3Schema")
                compiled.append((schema, node))
            }
            var columns: [PrinterColumn] = []
            for (columnIndex, column) in (entry["additionalPrinterColumns"]?.arrayValue ?? []).enumerated() {
                let columnLocation = location + ".additionalPrinterColumns[\(columnIndex)]"
                columns.append(
                    PrinterColumn(
                        name: try reader.requiredString(column["name"], columnLocation + ".name"),
                        type: try reader.requiredString(column["type"], columnLocation + ".type"),
                        format: reader.string(column["format"], columnLocation + ".format"),
                        description: reader.string(column["description"], columnLocation + ".description"),
                        priority: Int(column["priority"]?.intValue ?? 0),
                        jsonPath: try reader.requiredString(column["jsonPath"], columnLocation + ".jsonPath")
                    ))
            }
            versions.append(
                Version(
                    name: versionName,
                    served: entry["served"]?.boolValue ?? false,
                    storage: entry["storage"]?.boolValue ?? false,
                    deprecated: entry["deprecated"]?.boolValue ?? false,
                    deprecationWarning: entry["deprecationWarning"]?.stringValue,
                    hasStatusSubresource: entry["subresources"]?["status"] != nil,
                    printerColumns: columns,
                    validator: CustomResourceValidator(
                        group: group, version: versionName, kind: kind, isNamespaced: scope == .namespaced, schema: node
                    )
                ))
        }
        self.name = name
        self.group = group
        self.names = names
        self.scope = scope
        self.versions = versions
        self.document = document
    }

    /// The version marked `storage: true`.
    public var storageVersion: Version? {
        versions.first { $0.storage }
    }

    /// The validator of a served version, or `nil` when the version is not served.
    public func validator(forVersion version: String) -> CustomResourceValidator? {
        versions.first { $0.name == version && $0.served }?.validator
    }
}

/// Typed access to CRD document fields with errors naming the field.
private struct DocumentReader {
    let document: JSONValue
    var source: String?

    func failure(_ code: CRDLoadingError.Code, _ location: String, _ detail: String) -> CRDLoadingError {
        CRDLoadingError(code: code, source: source, location: location, detail: detail)
    }

    func string(_ value: JSONValue?, _ location: String) -> String? {
        value?.stringValue
    }

    func requiredString(_ value: JSONValue?, _ location: String) throws(CRDLoadingError) -> String {
        guard let text = value?.stringValue, !text.isEmpty else {
            throw failure(.malformedDefinition, location, "a non-empty string is required")
        }
        return text
    }

    func stringList(_ value: JSONValue?, _ location: String) throws(CRDLoadingError) -> [String] {
        guard let value else { return [] }
        guard let elements = value.arrayValue else {
            throw failure(.malformedDefinition, location, "must be a list of strings")
        }
        var strings: [String] = []
        for element in elements {
            guard let text = element.stringValue else {
                throw failure(.malformedDefinition, location, "must be a list of strings")
            }
            strings.append(text)
        }
        return strings
    }
}
