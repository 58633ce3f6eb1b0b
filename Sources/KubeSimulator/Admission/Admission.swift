import BridgeKernel
import IstioSchemaValidation

/// Schema validation of a request object for its type: the CRD validator for custom resources (422 exactly as
/// the apiextensions apiserver), typed decoding plus `ValidateLease` for Leases, name rules for Namespaces.
/// Unknown fields are pruned and, depending on `fieldValidation`, warned about or rejected.
enum Admission {
    /// The object as it will be stored and the warnings for the response.
    struct Outcome {
        var object: JSONValue
        var warnings: [String]
    }

    static func validate(
        _ object: JSONValue, resource: ServedResource, version: String, namespace: String?,
        directive: FieldValidationDirective
    ) throws(APIError) -> Outcome {
        switch resource.flavor {
        case .custom(let definition):
            guard let validator = definition.validator(forVersion: version) else {
                throw APIError.internalError("version \(version) of \(resource.qualifiedResource) is not served")
            }
            let result = validator.validate(object, options: ValidationOptions(requestNamespace: namespace))
            if let failure = result.decodingFailure { throw APIError.badRequest(failure) }
            let warnings = try unknownFieldWarnings(
                result.unknownFields, directive: directive, strictMessage: result.strictDecodingMessage)
            if let body = result.statusBody { throw APIError(code: 422, body: .status(body)) }
            return Outcome(object: result.object, warnings: warnings)
        case .lease:
            let (lease, unknown) = try LeaseValidation.decode(object)
            let warnings = try unknownFieldWarnings(unknown, directive: directive, strictMessage: nil)
            let causes = LeaseValidation.validate(lease)
            if !causes.isEmpty {
                throw APIError.invalid(
                    group: resource.group, kind: resource.kind,
                    name: lease["metadata"]?["name"]?.stringValue ?? "", errors: causes)
            }
            return Outcome(object: lease, warnings: warnings)
        case .builtin(let kind):
            let (decoded, unknown) = try BuiltinValidation.decode(kind, object)
            let warnings = try unknownFieldWarnings(unknown, directive: directive, strictMessage: nil)
            let causes = BuiltinValidation.validate(kind, decoded)
            if !causes.isEmpty {
                throw APIError.invalid(
                    group: resource.group, kind: resource.kind,
                    name: decoded["metadata"]?["name"]?.stringValue ?? "", errors: causes)
            }
            return Outcome(object: decoded, warnings: warnings)
        case .namespace:
            let name = object["metadata"]?["name"]?.stringValue ?? ""
            var causes: [InvalidCause] = []
            if name.isEmpty {
                causes.append(.required("metadata.name", "name or generateName is required"))
            }
            for message in name.isEmpty ? [] : NameValidation.dns1123LabelErrors(name) {
                causes.append(.invalid("metadata.name", value: KubeJSON.quote(name), message))
            }
            if !causes.isEmpty {
                throw APIError.invalid(group: "", kind: "Namespace", name: name, errors: causes)
            }
            return Outcome(object: object, warnings: [])
        }
    }

    /// Applies the directive to unknown fields: warnings for `Warn`, 400 for `Strict`.
    private static func unknownFieldWarnings(
        _ fields: [String], directive: FieldValidationDirective, strictMessage: String?
    ) throws(APIError) -> [String] {
        guard !fields.isEmpty else { return [] }
        let warnings = fields.map { "unknown field \"\($0)\"" }
        switch directive {
        case .ignore: return []
        case .warn: return warnings
        case .strict:
            throw APIError.badRequest(strictMessage ?? "strict decoding error: " + warnings.joined(separator: ", "))
        }
    }
}
