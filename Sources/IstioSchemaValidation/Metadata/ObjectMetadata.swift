import BridgeKernel

/// The `metadata` of a custom resource as the apiserver decodes it into `metav1.ObjectMeta`.
///
/// Decoding mirrors `objectmeta.GetObjectMetaWithOptions` for request bodies: fields ObjectMeta does not have
/// are reported as unknown (`metadata.foo`) and dropped; a field of the wrong JSON type makes the whole request
/// undecodable (HTTP 400, never 422), reported as ``DecodingFailure``. JSON `null` leaves a field unset.
/// Timestamps are accepted as any string (the apiserver ignores client values for them on create).
struct ObjectMetadata: Sendable {
    var name = ""
    var generateName = ""
    var namespace = ""
    var generation: Int64 = 0
    var labels: [String: String] = [:]
    var annotations: [String: String] = [:]
    var finalizers: [String] = []
    var ownerReferences: [OwnerReference] = []

    struct OwnerReference: Sendable {
        var apiVersion = ""
        var kind = ""
        var name = ""
        var uid = ""
        var controller = false
    }

    /// A type mismatch the Go JSON decoder rejects.
    struct DecodingFailure: Error, Sendable {
        /// `json: cannot unmarshal <json type> into Go struct field ObjectMeta.<field> of type <Go type>`.
        let message: String
    }

    private static let stringFields: Set<String> = [
        "name", "generateName", "namespace", "selfLink", "uid", "resourceVersion",
    ]
    private static let timeFields: Set<String> = ["creationTimestamp", "deletionTimestamp"]
    private static let managedFieldsEntryFields: [String: String] = [
        "manager": "string", "operation": "v1.ManagedFieldsOperationType", "apiVersion": "string", "time": "v1.Time",
        "fieldsType": "string", "fieldsV1": "v1.FieldsV1", "subresource": "string",
    ]
    private static let ownerReferenceFields: [String: String] = [
        "apiVersion": "string", "kind": "string", "name": "string", "uid": "types.UID", "controller": "bool",
        "blockOwnerDeletion": "bool",
    ]

    /// Decodes `metadata`, collecting unknown member paths (`metadata.foo`, `metadata.ownerReferences[0].bar`).
    static func decode(_ value: JSONValue, unknownFields: inout [String]) throws(DecodingFailure) -> ObjectMetadata {
        guard case .object(let members) = value else {
            if case .null = value { return ObjectMetadata() }
            throw DecodingFailure(
                message: "json: cannot unmarshal \(jsonTypeName(value)) into Go value of type v1.ObjectMeta")
        }
        var metadata = ObjectMetadata()
        var firstFailure: DecodingFailure?
        func fail(_ field: String, _ member: JSONValue, _ goType: String) {
            if firstFailure == nil {
                firstFailure = DecodingFailure(
                    message:
                        "json: cannot unmarshal \(jsonTypeName(member)) into Go struct field ObjectMeta.\(field) of type \(goType)"
                )
            }
        }
        for key in members.keys.sorted(by: GoString.less) {
            let member = members[key]!
            if case .null = member { continue }
            switch key {
            case _ where stringFields.contains(key):
                guard case .string(let text) = member else {
                    fail(key, member, key == "uid" ? "types.UID" : "string")
                    continue
                }
                switch key {
                case "name": metadata.name = text
                case "generateName": metadata.generateName = text
                case "namespace": metadata.namespace = text
                default: break
                }
            case _ where timeFields.contains(key):
                guard case .string = member else {
                    fail(key, member, "v1.Time")
                    continue
                }
            case "generation", "deletionGracePeriodSeconds":
                guard let number = integer(member) else {
                    fail(key, member, "int64")
                    continue
                }
                if key == "generation" { metadata.generation = number }
            case "labels", "annotations":
                guard case .object(let entries) = member else {
                    fail(key, member, "map[string]string")
                    continue
                }
                var map: [String: String] = [:]
                for (entryKey, entryValue) in entries {
                    switch entryValue {
                    case .string(let text): map[entryKey] = text
                    case .null: map[entryKey] = ""
                    default: fail(key, entryValue, "string")
                    }
                }
                if key == "labels" { metadata.labels = map } else { metadata.annotations = map }
            case "finalizers":
                guard case .array(let elements) = member else {
                    fail(key, member, "[]string")
                    continue
                }
                for element in elements {
                    switch element {
                    case .string(let text): metadata.finalizers.append(text)
                    case .null: metadata.finalizers.append("")
                    default: fail(key, element, "string")
                    }
                }
            case "ownerReferences", "managedFields":
                guard case .array(let elements) = member else {
                    fail(key, member, key == "ownerReferences" ? "[]v1.OwnerReference" : "[]v1.ManagedFieldsEntry")
                    continue
                }
                let knownFields = key == "ownerReferences" ? ownerReferenceFields : managedFieldsEntryFields
                for (index, element) in elements.enumerated() {
                    guard case .object(let entry) = element else {
                        if case .null = element { continue }
                        fail(key, element, key == "ownerReferences" ? "v1.OwnerReference" : "v1.ManagedFieldsEntry")
                        continue
                    }
                    var reference = OwnerReference()
                    for entryKey in entry.keys.sorted(by: GoString.less) {
                        let entryValue = entry[entryKey]!
                        guard let goType = knownFields[entryKey] else {
                            unknownFields.append("metadata.\(key)[\(index)].\(entryKey)")
                            continue
                        }
                        if case .null = entryValue { continue }
                        let matches: Bool
                        switch goType {
                        case "bool": matches = entryValue.boolValue != nil
                        case "v1.FieldsV1": matches = entryValue.objectValue != nil
                        default: matches = entryValue.stringValue != nil
                        }
                        guard matches else {
                            fail("\(key).\(entryKey)", entryValue, goType)
                            continue
                        }
                        switch entryKey {
                        case "apiVersion": reference.apiVersion = entryValue.stringValue ?? ""
                        case "kind": reference.kind = entryValue.stringValue ?? ""
                        case "name": reference.name = entryValue.stringValue ?? ""
                        case "uid": reference.uid = entryValue.stringValue ?? ""
                        case "controller": reference.controller = entryValue.boolValue ?? false
                        default: break
                        }
                    }
                    if key == "ownerReferences" { metadata.ownerReferences.append(reference) }
                }
            default:
                unknownFields.append("metadata." + key)
            }
        }
        if let firstFailure { throw firstFailure }
        return metadata
    }

    private static func integer(_ value: JSONValue) -> Int64? {
        switch value {
        case .int(let number): return number
        case .double(let number): return Int64(exactly: number)
        default: return nil
        }
    }

    /// How Go's JSON decoder names the offending JSON value.
    private static func jsonTypeName(_ value: JSONValue) -> String {
        switch value {
        case .null: return "null"
        case .bool: return "bool"
        case .int: return "number"
        case .double(let number): return number.rounded() == number ? "number" : "number " + GoFormatting.float(number)
        case .string: return "string"
        case .array: return "array"
        case .object: return "object"
        }
    }
}
