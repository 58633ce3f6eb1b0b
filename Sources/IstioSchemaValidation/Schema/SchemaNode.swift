import BridgeKernel

/// The JSON types an OpenAPI schema can demand.
enum SchemaType: String, Sendable, CaseIterable {
    case object, array, string, integer, number, boolean
}

/// `x-kubernetes-list-type`.
enum ListType: String, Sendable {
    case atomic, set, map
}

/// One node of a compiled `openAPIV3Schema`: everything the validators need, read once from the CRD so that
/// validating an object never looks at YAML or untyped JSON again.
///
/// Immutable and shared between the served versions when their schemas are equal.
final class SchemaNode: Sendable {
    /// Accepted JSON types (`[integer, string]` for `x-kubernetes-int-or-string`); empty accepts any.
    let types: [SchemaType]
    /// The `type` keyword as written (empty when absent); CEL errors print it as the offending value.
    let typeName: String
    let nullable: Bool
    /// A format the apiserver checks (unsupported formats are dropped at load, as the apiserver does).
    let format: StringFormat?
    let maximum: Double?
    let exclusiveMaximum: Bool
    let minimum: Double?
    let exclusiveMinimum: Bool
    let multipleOf: Double?
    let maxLength: Int64?
    let minLength: Int64?
    let pattern: StringPattern?
    let maxItems: Int64?
    let minItems: Int64?
    let maxProperties: Int64?
    let minProperties: Int64?
    let required: [String]
    let enumValues: [JSONValue]
    let properties: [String: SchemaNode]
    /// Property names in byte order; the apiserver walks Go maps in random order, a fixed order keeps ours stable.
    let propertyNames: [String]
    let additionalProperties: SchemaNode?
    let items: SchemaNode?
    let allOf: [SchemaNode]
    let oneOf: [SchemaNode]
    let anyOf: [SchemaNode]
    let not: SchemaNode?
    let preservesUnknownFields: Bool
    let listType: ListType?
    let listMapKeys: [String]
    let rules: [CompiledRule]
    /// Whether this node or a descendant (through properties, additionalProperties, items) carries CEL rules.
    let hasRulesInSubtree: Bool
    /// Whether this node or a descendant is a `set` or `map` list.
    let hasListTypeInSubtree: Bool
    /// The properties (in ``propertyNames`` order) below which rules exist, so the rule walk skips the rest.
    let propertiesWithRules: [(name: String, node: SchemaNode)]
    /// The properties (in ``propertyNames`` order) below which `set`/`map` lists exist.
    let propertiesWithListTypes: [(name: String, node: SchemaNode)]

    init(
        types: [SchemaType], typeName: String, nullable: Bool, format: StringFormat?,
        maximum: Double?, exclusiveMaximum: Bool, minimum: Double?, exclusiveMinimum: Bool, multipleOf: Double?,
        maxLength: Int64?, minLength: Int64?, pattern: StringPattern?,
        maxItems: Int64?, minItems: Int64?, maxProperties: Int64?, minProperties: Int64?,
        required: [String], enumValues: [JSONValue],
        properties: [String: SchemaNode], additionalProperties: SchemaNode?, items: SchemaNode?,
        allOf: [SchemaNode], oneOf: [SchemaNode], anyOf: [SchemaNode], not: SchemaNode?,
        preservesUnknownFields: Bool, listType: ListType?, listMapKeys: [String], rules: [CompiledRule]
    ) {
        self.types = types
        self.typeName = typeName
        self.nullable = nullable
        self.format = format
        self.maximum = maximum
        self.exclusiveMaximum = exclusiveMaximum
        self.minimum = minimum
        self.exclusiveMinimum = exclusiveMinimum
        self.multipleOf = multipleOf
        self.maxLength = maxLength
        self.minLength = minLength
        self.pattern = pattern
        self.maxItems = maxItems
        self.minItems = minItems
        self.maxProperties = maxProperties
        self.minProperties = minProperties
        self.required = required
        self.enumValues = enumValues
        self.properties = properties
        let propertyNames = properties.keys.sorted(by: GoString.less)
        self.propertyNames = propertyNames
        self.additionalProperties = additionalProperties
        self.items = items
        self.allOf = allOf
        self.oneOf = oneOf
        self.anyOf = anyOf
        self.not = not
        self.preservesUnknownFields = preservesUnknownFields
        self.listType = listType
        self.listMapKeys = listMapKeys
        self.rules = rules
        let children = Array(properties.values) + [additionalProperties, items].compactMap { $0 }
        self.hasRulesInSubtree = !rules.isEmpty || children.contains { $0.hasRulesInSubtree }
        self.hasListTypeInSubtree =
            listType == .set || listType == .map || children.contains { $0.hasListTypeInSubtree }
        let orderedProperties = propertyNames.map { (name: $0, node: properties[$0]!) }
        self.propertiesWithRules = orderedProperties.filter { $0.node.hasRulesInSubtree }
        self.propertiesWithListTypes = orderedProperties.filter { $0.node.hasListTypeInSubtree }
    }

    /// The schema that governs member `name` of an object value: a declared property, else the map value schema.
    func childSchema(forMember name: String) -> SchemaNode? {
        properties[name] ?? additionalProperties
    }
}
