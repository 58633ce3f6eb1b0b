import BridgeKernel

/// The apiserver's OpenAPI value validation (kube-openapi `validate.SchemaValidator` plus apiextensions'
/// `kubeOpenAPIResultToFieldErrors`), reproduced check by check so errors come out with the same fields,
/// reasons and words.
///
/// Order within one schema node follows kube-openapi: type, allOf/oneOf/anyOf/not, string limits, format,
/// number limits, items and list size, enum, then object size, map values, properties and `required`.
/// Where the apiserver iterates Go maps (random order) this walks keys in byte order.
enum OpenAPIValueValidator {
    /// Validates `value` against `node`, appending field errors.
    static func validate(_ value: JSONValue, _ node: SchemaNode, _ path: ValuePath, into errors: inout [FieldError]) {
        if case .null = value {
            checkType(value, node, path, into: &errors)
            checkEnum(value, node, path, into: &errors)
            return
        }
        checkType(value, node, path, into: &errors)
        checkJunctors(value, node, path, into: &errors)
        switch value {
        case .string(let text):
            checkString(text, node, path, into: &errors)
            if let format = node.format, !format.accepts(text) {
                let openAPIPath = path.openAPIPath
                errors.append(
                    .typeInvalid(
                        fieldPath(of: path), value,
                        "\(openAPIPath) in body must be of type \(format.rawValue): \(GoFormatting.quote(text))"))
            }
        case .int, .double:
            checkNumber(value, node, path, into: &errors)
        case .array(let elements):
            checkArray(elements, node, path, into: &errors)
        default:
            break
        }
        checkEnum(value, node, path, into: &errors)
        if case .object(let members) = value {
            checkObject(members, node, path, into: &errors)
        }
    }

    /// The field path apiextensions derives from a kube-openapi error name: the dotted name as one segment;
    /// the root (empty name) has no path and prints as `<nil>`.
    private static func fieldPath(of path: ValuePath) -> String {
        path.isRoot ? "<nil>" : path.openAPIPath
    }

    // MARK: type

    private static func dataType(_ value: JSONValue) -> (type: String, format: String) {
        switch value {
        case .null: return ("null", "")
        case .bool: return ("boolean", "")
        case .int: return ("integer", "int64")
        case .double: return ("number", "float64")
        case .string: return ("string", "")
        case .array: return ("array", "")
        case .object: return ("object", "")
        }
    }

    /// swag `IsFloat64AJSONInteger`: an integral value inside JSON's exact integer range.
    static func isJSONInteger(_ number: Double) -> Bool {
        number.isFinite && number.rounded(.towardZero) == number && abs(number) <= 9_007_199_254_740_991
    }

    private static func checkType(
        _ value: JSONValue, _ node: SchemaNode, _ path: ValuePath, into errors: inout [FieldError]
    ) {
        guard !node.types.isEmpty || node.format != nil else { return }
        var typeList: String { node.types.map(\.rawValue).joined(separator: ",") }
        var openAPIPath: String { path.openAPIPath }
        if case .null = value {
            if !node.types.isEmpty && !node.nullable {
                errors.append(
                    .typeInvalid(
                        fieldPath(of: path), "null", "\(openAPIPath) in body must be of type \(typeList): \"null\""))
            }
            return
        }
        let (schemaType, dataFormat) = dataType(value)
        let containsInteger = node.types.contains(.integer)
        let containsNumber = node.types.contains(.number)
        var isFloatInt = false
        if case .double(let number) = value { isFloatInt = containsInteger && isJSONInteger(number) }
        let isIntFloat = schemaType == "integer" && containsNumber
        let typeMatches = node.types.contains { $0.rawValue == schemaType }
        var isStringOrSlice = false
        switch value {
        case .string, .array: isStringOrSlice = true
        default: break
        }
        if let format = node.format, !isStringOrSlice,
            !(typeMatches || dataFormat == format.rawValue || isFloatInt || isIntFloat)
        {
            errors.append(
                .typeInvalid(
                    fieldPath(of: path), .string(dataFormat),
                    "\(openAPIPath) in body must be of type \(format.rawValue): \(GoFormatting.quote(dataFormat))"))
            return
        }
        if !(containsInteger || containsNumber) && node.format != nil && isStringOrSlice {
            return
        }
        if !(typeMatches || isFloatInt || isIntFloat) {
            errors.append(
                .typeInvalid(
                    fieldPath(of: path), .string(schemaType),
                    "\(openAPIPath) in body must be of type \(typeList): \(GoFormatting.quote(schemaType))"))
        }
    }

    // MARK: allOf / oneOf / anyOf / not

    private static func checkJunctors(
        _ value: JSONValue, _ node: SchemaNode, _ path: ValuePath, into errors: inout [FieldError]
    ) {
        guard !node.anyOf.isEmpty || !node.oneOf.isEmpty || !node.allOf.isEmpty || node.not != nil else { return }
        let quotedPath = GoFormatting.quote(path.openAPIPath)
        func composite(_ text: String) -> FieldError { .invalid("<nil>", "", text) }
        func alternative(_ schema: SchemaNode) -> [FieldError] {
            var found: [FieldError] = []
            validate(value, schema, path, into: &found)
            return found
        }

        if !node.anyOf.isEmpty {
            // go-openapi keeps the failure with the most matched checks; the alternatives in Kubernetes CRDs
            // (int-or-string) are symmetric, so the first failure is the one it keeps.
            var firstFailure: [FieldError]?
            var succeeded = false
            for schema in node.anyOf {
                let found = alternative(schema)
                if found.isEmpty {
                    succeeded = true
                    break
                }
                if firstFailure == nil { firstFailure = found }
            }
            if !succeeded {
                errors.append(composite("\(quotedPath) must validate at least one schema (anyOf)"))
                errors.append(contentsOf: firstFailure ?? [])
            }
        }

        if !node.oneOf.isEmpty {
            var valid = 0
            var firstFailure: [FieldError]?
            for schema in node.oneOf {
                let found = alternative(schema)
                if found.isEmpty {
                    valid += 1
                    firstFailure = nil
                } else if valid == 0 && firstFailure == nil {
                    firstFailure = found
                }
            }
            if valid != 1 {
                let detail = valid == 0 ? "Found none valid" : "Found \(valid) valid alternatives"
                errors.append(composite("\(quotedPath) must validate one and only one schema (oneOf). \(detail)"))
                errors.append(contentsOf: firstFailure ?? [])
            }
        }

        if !node.allOf.isEmpty {
            var valid = 0
            for schema in node.allOf {
                let found = alternative(schema)
                if found.isEmpty { valid += 1 }
                errors.append(contentsOf: found)
            }
            if valid != node.allOf.count {
                errors.append(
                    composite(
                        "\(quotedPath) must validate all the schemas (allOf)\(valid == 0 ? ". None validated" : "")"))
            }
        }

        if let notSchema = node.not, alternative(notSchema).isEmpty {
            errors.append(composite("\(quotedPath) must not validate the schema (not)"))
        }
    }

    // MARK: strings

    private static func checkString(
        _ text: String, _ node: SchemaNode, _ path: ValuePath, into errors: inout [FieldError]
    ) {
        guard node.maxLength != nil || node.minLength != nil || node.pattern != nil else { return }
        // kube-openapi counts code points (utf8.RuneCount) although the message says bytes; first failure only.
        let length = Int64(GoString.codePointCount(text))
        if let maxLength = node.maxLength, length > maxLength {
            errors.append(.tooLong(fieldPath(of: path), maximum: maxLength))
            return
        }
        if let minLength = node.minLength, length < minLength {
            errors.append(
                .invalid(
                    fieldPath(of: path), .string(text),
                    "\(path.openAPIPath) in body should be at least \(minLength) chars long"))
            return
        }
        if let pattern = node.pattern, !pattern.matches(text) {
            errors.append(
                .invalid(
                    fieldPath(of: path), .string(text), "\(path.openAPIPath) in body should match '\(pattern.source)'"))
        }
    }

    // MARK: numbers

    private static func checkNumber(
        _ value: JSONValue, _ node: SchemaNode, _ path: ValuePath, into errors: inout [FieldError]
    ) {
        guard node.multipleOf != nil || node.minimum != nil || node.maximum != nil else { return }
        var openAPIPath: String { path.openAPIPath }
        if let factor = node.multipleOf {
            var failed = false
            var factorText = GoFormatting.float(factor)
            switch value {
            case .int(let number):
                let integerFactor = Int64(factor)
                factorText = String(integerFactor)
                if integerFactor <= 0 {
                    errors.append(
                        .invalid(
                            fieldPath(of: path), .double(factor),
                            "factor MultipleOf declared for \(openAPIPath) must be positive: \(integerFactor)"))
                } else {
                    failed = number % integerFactor != 0
                }
            case .double(let number):
                if factor <= 0 {
                    errors.append(
                        .invalid(
                            fieldPath(of: path), .double(factor),
                            "factor MultipleOf declared for \(openAPIPath) must be positive: \(factorText)"))
                } else {
                    failed = !isJSONInteger(factor < 1 ? 1 / factor * number : number / factor)
                }
            default:
                break
            }
            if failed {
                errors.append(
                    .invalid(fieldPath(of: path), value, "\(openAPIPath) in body should be a multiple of \(factorText)")
                )
            }
        }
        if let minimum = node.minimum {
            let exclusive = node.exclusiveMinimum
            let wording = exclusive ? "should be greater than" : "should be greater than or equal to"
            switch value {
            case .int(let number):
                // Go converts the bound with int64(min), truncating toward zero.
                let bound = Int64(minimum.rounded(.towardZero))
                if exclusive ? number <= bound : number < bound {
                    errors.append(.invalid(fieldPath(of: path), value, "\(openAPIPath) in body \(wording) \(bound)"))
                }
            case .double(let number):
                if exclusive ? number <= minimum : number < minimum {
                    errors.append(
                        .invalid(
                            fieldPath(of: path), value,
                            "\(openAPIPath) in body \(wording) \(GoFormatting.float(minimum))"))
                }
            default:
                break
            }
        }
        if let maximum = node.maximum {
            let exclusive = node.exclusiveMaximum
            let wording = exclusive ? "should be less than" : "should be less than or equal to"
            switch value {
            case .int(let number):
                let bound = Int64(maximum.rounded(.towardZero))
                if exclusive ? number >= bound : number > bound {
                    errors.append(.invalid(fieldPath(of: path), value, "\(openAPIPath) in body \(wording) \(bound)"))
                }
            case .double(let number):
                if exclusive ? number >= maximum : number > maximum {
                    errors.append(
                        .invalid(
                            fieldPath(of: path), value,
                            "\(openAPIPath) in body \(wording) \(GoFormatting.float(maximum))"))
                }
            default:
                break
            }
        }
    }

    // MARK: arrays

    private static func checkArray(
        _ elements: [JSONValue], _ node: SchemaNode, _ path: ValuePath, into errors: inout [FieldError]
    ) {
        if let items = node.items {
            for (index, element) in elements.enumerated() {
                validate(element, items, path.index(index), into: &errors)
            }
        }
        let size = Int64(elements.count)
        if let minItems = node.minItems, size < minItems {
            errors.append(
                .invalid(
                    fieldPath(of: path), .int(size),
                    "\(path.openAPIPath) in body should have at least \(minItems) items"))
        }
        if let maxItems = node.maxItems, size > maxItems {
            errors.append(.tooMany(fieldPath(of: path), actual: size, maximum: maxItems))
        }
    }

    // MARK: enum

    private static func checkEnum(
        _ value: JSONValue, _ node: SchemaNode, _ path: ValuePath, into errors: inout [FieldError]
    ) {
        guard !node.enumValues.isEmpty else { return }
        if node.enumValues.contains(where: { enumEquals(value, $0) }) { return }
        let supported = node.enumValues.map { allowed -> String in
            if case .string(let text) = allowed { return text }
            return allowed.canonicalJSON
        }
        errors.append(.notSupported(fieldPath(of: path), value, supported))
    }

    /// Go's `reflect.DeepEqual` after converting the value to the enum entry's type (numbers compare by value,
    /// strings byte by byte).
    private static func enumEquals(_ value: JSONValue, _ allowed: JSONValue) -> Bool {
        switch (value, allowed) {
        case (.null, _): return false
        case (.string(let text), .string(let allowedText)): return GoString.equal(text, allowedText)
        case (.int(let number), .int(let allowedNumber)): return number == allowedNumber
        case (.int(let number), .double(let allowedNumber)): return Double(number) == allowedNumber
        case (.double(let number), .double(let allowedNumber)): return number == allowedNumber
        case (.double(let number), .int(let allowedNumber)):
            return Int64(exactly: number.rounded(.towardZero)) == allowedNumber
        case (.bool(let flag), .bool(let allowedFlag)): return flag == allowedFlag
        default: return value == allowed
        }
    }

    // MARK: objects

    private static func checkObject(
        _ members: [String: JSONValue], _ node: SchemaNode, _ path: ValuePath, into errors: inout [FieldError]
    ) {
        let count = Int64(members.count)
        var openAPIPath: String { path.openAPIPath }
        if let minProperties = node.minProperties, count < minProperties {
            errors.append(
                .invalid(
                    fieldPath(of: path), .int(count),
                    "\(openAPIPath) in body should have at least \(minProperties) properties"))
        }
        if let maxProperties = node.maxProperties, count > maxProperties {
            errors.append(.tooMany(fieldPath(of: path), actual: count, maximum: maxProperties))
        }
        if let additional = node.additionalProperties {
            for key in members.keys.sorted(by: GoString.less) where node.properties[key] == nil {
                validate(members[key]!, additional, path.key(key), into: &errors)
            }
        }
        if members.count < node.propertyNames.count {
            // Fewer members than declared properties (the usual case): look the members up, in name order.
            for name in members.keys.sorted(by: GoString.less) {
                if let child = node.properties[name] {
                    validate(members[name]!, child, path.property(name), into: &errors)
                }
            }
        } else {
            for name in node.propertyNames {
                if let member = members[name] {
                    validate(member, node.properties[name]!, path.property(name), into: &errors)
                }
            }
        }
        for name in node.required where members[name] == nil {
            errors.append(.required(path.property(name).openAPIPath))
        }
    }
}
