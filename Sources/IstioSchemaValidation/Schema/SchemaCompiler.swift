import BridgeKernel

/// Turns an `openAPIV3Schema` (as JSON) into a ``SchemaNode`` tree, refusing anything it cannot enforce.
struct SchemaCompiler {
    /// The CRD name, for error messages.
    let source: String

    /// Keywords that only document the schema.
    private static let documentationKeywords: Set<String> = ["description", "title", "example", "externalDocs"]

    /// Keywords this compiler turns into checks.
    private static let enforcedKeywords: Set<String> = [
        "type", "format", "nullable", "maximum", "exclusiveMaximum", "minimum", "exclusiveMinimum", "multipleOf",
        "maxLength", "minLength", "pattern", "maxItems", "minItems", "uniqueItems", "maxProperties", "minProperties",
        "required", "enum", "properties", "additionalProperties", "items", "allOf", "oneOf", "anyOf", "not",
        "x-kubernetes-preserve-unknown-fields", "x-kubernetes-int-or-string", "x-kubernetes-list-type",
        "x-kubernetes-list-map-keys", "x-kubernetes-map-type", "x-kubernetes-validations",
    ]

    func compile(_ schema: JSONValue, at location: String) throws(CRDLoadingError) -> SchemaNode {
        try compile(schema, at: location, allowsRules: true)
    }

    private func failure(_ code: CRDLoadingError.Code, _ location: String, _ detail: String) -> CRDLoadingError {
        CRDLoadingError(code: code, source: source, location: location, detail: detail)
    }

    private func compile(_ schema: JSONValue, at location: String, allowsRules: Bool) throws(CRDLoadingError)
        -> SchemaNode
    {
        guard let members = schema.objectValue else {
            throw failure(.malformedDefinition, location, "a schema must be an object")
        }
        for key in members.keys.sorted()
        where !Self.enforcedKeywords.contains(key) && !Self.documentationKeywords.contains(key) {
            throw failure(
                .unsupportedSchemaFeature, location, "schema keyword \"\(key)\" is not supported by this validator")
        }

        let typeName = try string(members["type"], "type", location) ?? ""
        let intOrString = try bool(members["x-kubernetes-int-or-string"], "x-kubernetes-int-or-string", location)
        var types: [SchemaType] = []
        if !typeName.isEmpty {
            guard let type = SchemaType(rawValue: typeName) else {
                throw failure(.malformedDefinition, location, "unknown type \"\(typeName)\"")
            }
            types = [type]
        }
        if intOrString { types = [.integer, .string] }

        var format: StringFormat?
        if let formatName = try string(members["format"], "format", location), !formatName.isEmpty {
            // The apiserver drops formats it does not support and enforces the rest.
            if StringFormat.supportedByAPIServer.contains(formatName.filter { $0 != "-" }) {
                guard let known = StringFormat(rawValue: formatName == "datetime" ? "date-time" : formatName) else {
                    throw failure(
                        .unsupportedSchemaFeature, location,
                        "format \"\(formatName)\" is enforced by the apiserver but not implemented here")
                }
                format = known
            }
        }

        var pattern: StringPattern?
        if let source = try string(members["pattern"], "pattern", location) {
            do {
                pattern = try StringPattern(source)
            } catch {
                throw failure(.unsupportedSchemaFeature, location, "pattern \(source) does not compile: \(error)")
            }
        }
        if try bool(members["uniqueItems"], "uniqueItems", location) {
            throw failure(.unsupportedSchemaFeature, location, "uniqueItems is not allowed in structural schemas")
        }

        var properties: [String: SchemaNode] = [:]
        if let declared = members["properties"] {
            guard let declaredMembers = declared.objectValue else {
                throw failure(.malformedDefinition, location, "properties must be an object")
            }
            for (name, propertySchema) in declaredMembers {
                properties[name] = try compile(
                    propertySchema, at: location + ".properties." + name, allowsRules: allowsRules)
            }
        }

        var additionalProperties: SchemaNode?
        if let additional = members["additionalProperties"] {
            switch additional {
            case .object:
                additionalProperties = try compile(
                    additional, at: location + ".additionalProperties", allowsRules: allowsRules)
            default:
                // Booleans are not structural (use x-kubernetes-preserve-unknown-fields or a schema).
                throw failure(.unsupportedSchemaFeature, location, "additionalProperties must be a schema")
            }
        }

        var items: SchemaNode?
        if let itemSchema = members["items"] {
            guard case .object = itemSchema else {
                throw failure(.unsupportedSchemaFeature, location, "items must be a single schema")
            }
            items = try compile(itemSchema, at: location + ".items", allowsRules: allowsRules)
        }

        // Junctors only constrain values; rules inside them are not evaluated by this validator.
        func junctor(_ keyword: String) throws(CRDLoadingError) -> [SchemaNode] {
            guard let list = members[keyword] else { return [] }
            guard let elements = list.arrayValue else {
                throw failure(.malformedDefinition, location, "\(keyword) must be a list")
            }
            var nodes: [SchemaNode] = []
            for (index, element) in elements.enumerated() {
                nodes.append(try compile(element, at: location + ".\(keyword)[\(index)]", allowsRules: false))
            }
            return nodes
        }
        let allOf = try junctor("allOf")
        let oneOf = try junctor("oneOf")
        let anyOf = try junctor("anyOf")
        var notNode: SchemaNode?
        if let notSchema = members["not"] {
            notNode = try compile(notSchema, at: location + ".not", allowsRules: false)
        }

        var listType: ListType?
        if let listTypeName = try string(members["x-kubernetes-list-type"], "x-kubernetes-list-type", location) {
            guard let known = ListType(rawValue: listTypeName) else {
                throw failure(.malformedDefinition, location, "unknown x-kubernetes-list-type \"\(listTypeName)\"")
            }
            listType = known
        }
        let listMapKeys = try stringList(members["x-kubernetes-list-map-keys"], "x-kubernetes-list-map-keys", location)
        if listType == .map && listMapKeys.isEmpty {
            throw failure(.malformedDefinition, location, "x-kubernetes-list-type map needs x-kubernetes-list-map-keys")
        }

        var enumValues: [JSONValue] = []
        if let enumList = members["enum"] {
            guard let values = enumList.arrayValue else {
                throw failure(.malformedDefinition, location, "enum must be a list")
            }
            enumValues = values
        }

        let rules = try compileRules(
            members["x-kubernetes-validations"], types: types, location: location, allowed: allowsRules)

        return SchemaNode(
            types: types,
            typeName: typeName,
            nullable: try bool(members["nullable"], "nullable", location),
            format: format,
            maximum: try number(members["maximum"], "maximum", location),
            exclusiveMaximum: try bool(members["exclusiveMaximum"], "exclusiveMaximum", location),
            minimum: try number(members["minimum"], "minimum", location),
            exclusiveMinimum: try bool(members["exclusiveMinimum"], "exclusiveMinimum", location),
            multipleOf: try number(members["multipleOf"], "multipleOf", location),
            maxLength: try integer(members["maxLength"], "maxLength", location),
            minLength: try integer(members["minLength"], "minLength", location),
            pattern: pattern,
            maxItems: try integer(members["maxItems"], "maxItems", location),
            minItems: try integer(members["minItems"], "minItems", location),
            maxProperties: try integer(members["maxProperties"], "maxProperties", location),
            minProperties: try integer(members["minProperties"], "minProperties", location),
            required: try stringList(members["required"], "required", location),
            enumValues: enumValues,
            properties: properties,
            additionalProperties: additionalProperties,
            items: items,
            allOf: allOf,
            oneOf: oneOf,
            anyOf: anyOf,
            not: notNode,
            preservesUnknownFields: try bool(
                members["x-kubernetes-preserve-unknown-fields"], "x-kubernetes-preserve-unknown-fields", location),
            listType: listType,
            listMapKeys: listMapKeys,
            rules: rules
        )
    }

    private func compileRules(_ value: JSONValue?, types: [SchemaType], location: String, allowed: Bool)
        throws(CRDLoadingError) -> [CompiledRule]
    {
        guard let value else { return [] }
        let ruleLocation = location + ".x-kubernetes-validations"
        guard let entries = value.arrayValue else {
            throw failure(.malformedDefinition, ruleLocation, "x-kubernetes-validations must be a list")
        }
        guard allowed || entries.isEmpty else {
            throw failure(
                .unsupportedSchemaFeature, ruleLocation,
                "validation rules inside allOf/oneOf/anyOf/not are not supported")
        }
        var rules: [CompiledRule] = []
        for (index, entry) in entries.enumerated() {
            let entryLocation = ruleLocation + "[\(index)]"
            guard let rule = try string(entry["rule"], "rule", entryLocation) else {
                throw failure(.malformedDefinition, entryLocation, "a validation rule needs `rule`")
            }
            guard let implementation = ValidationRuleCatalog.implementation(for: rule) else {
                throw failure(
                    .unknownValidationRule, entryLocation,
                    "no Swift implementation for rule \(GoFormatting.quote(rule)); add it to ValidationRuleCatalog")
            }
            guard let nodeType = types.first, types.count == 1, implementation.selfTypes.contains(nodeType) else {
                throw failure(
                    .ruleOnUnexpectedType, entryLocation,
                    "rule \(GoFormatting.quote(rule)) is implemented for \(implementation.selfTypes.map(\.rawValue).sorted()) but the schema type is \(types.map(\.rawValue))"
                )
            }
            if let expression = try string(entry["messageExpression"], "messageExpression", entryLocation) {
                throw failure(
                    .unsupportedSchemaFeature, entryLocation,
                    "messageExpression \(GoFormatting.quote(expression)) has no Swift implementation")
            }
            if try bool(entry["optionalOldSelf"], "optionalOldSelf", entryLocation) {
                throw failure(
                    .unsupportedSchemaFeature, entryLocation, "transition rules (optionalOldSelf) are not supported")
            }
            var reason: FieldError.Reason?
            if let reasonName = try string(entry["reason"], "reason", entryLocation) {
                guard let known = FieldError.Reason(rawValue: reasonName),
                    [.invalid, .forbidden, .required, .duplicate].contains(known)
                else {
                    throw failure(.malformedDefinition, entryLocation, "unknown reason \(reasonName)")
                }
                reason = known
            }
            var fieldPath: [String] = []
            if let path = try string(entry["fieldPath"], "fieldPath", entryLocation) {
                // Only the plain `.a.b` form; the bracket forms are rare and not needed by the Istio CRDs.
                guard path.hasPrefix("."), !path.contains("[") else {
                    throw failure(.unsupportedSchemaFeature, entryLocation, "fieldPath \(path) is not supported")
                }
                fieldPath = path.split(separator: ".").map(String.init)
            }
            let message = try string(entry["message"], "message", entryLocation)?.trimmingWhitespace
            rules.append(
                CompiledRule(
                    rule: rule,
                    message: (message?.isEmpty ?? true) ? nil : message,
                    reason: reason,
                    fieldPath: fieldPath,
                    implementation: implementation
                )
            )
        }
        return rules
    }

    // MARK: Typed keyword access

    private func string(_ value: JSONValue?, _ keyword: String, _ location: String) throws(CRDLoadingError) -> String? {
        guard let value else { return nil }
        guard case .string(let text) = value else {
            throw failure(.malformedDefinition, location, "\(keyword) must be a string")
        }
        return text
    }

    private func bool(_ value: JSONValue?, _ keyword: String, _ location: String) throws(CRDLoadingError) -> Bool {
        guard let value else { return false }
        guard case .bool(let flag) = value else {
            throw failure(.malformedDefinition, location, "\(keyword) must be a boolean")
        }
        return flag
    }

    private func number(_ value: JSONValue?, _ keyword: String, _ location: String) throws(CRDLoadingError) -> Double? {
        switch value {
        case nil: return nil
        case .int(let number): return Double(number)
        case .double(let number): return number
        default: throw failure(.malformedDefinition, location, "\(keyword) must be a number")
        }
    }

    private func integer(_ value: JSONValue?, _ keyword: String, _ location: String) throws(CRDLoadingError) -> Int64? {
        guard let value else { return nil }
        guard let number = value.intValue else {
            throw failure(.malformedDefinition, location, "\(keyword) must be an integer")
        }
        return number
    }

    private func stringList(_ value: JSONValue?, _ keyword: String, _ location: String) throws(CRDLoadingError)
        -> [String]
    {
        guard let value else { return [] }
        guard let elements = value.arrayValue else {
            throw failure(.malformedDefinition, location, "\(keyword) must be a list of strings")
        }
        var strings: [String] = []
        for element in elements {
            guard case .string(let text) = element else {
                throw failure(.malformedDefinition, location, "\(keyword) must be a list of strings")
            }
            strings.append(text)
        }
        return strings
    }
}
