import BridgeKernel
import IstioSchemaValidation

/// Decoding and validation of `coordination.k8s.io/v1` Leases as the typed apiserver does it: strict JSON types
/// (400 on mismatch), `MicroTime` with exactly six fractional digits (400 otherwise), unknown fields reported
/// for `fieldValidation`, then `ValidateLease` (422).
enum LeaseValidation {
    private static let specFields: [String: String] = [
        "holderIdentity": "string", "leaseDurationSeconds": "int32", "acquireTime": "v1.MicroTime",
        "renewTime": "v1.MicroTime", "leaseTransitions": "int32", "strategy": "v1.CoordinatedLeaseStrategy",
        "preferredHolder": "string",
    ]

    /// The normalized Lease and the unknown field paths.
    static func decode(_ object: JSONValue) throws(APIError) -> (object: JSONValue, unknownFields: [String]) {
        var members = object.objectValue ?? [:]
        var unknown: [String] = []
        for key in members.keys where !["apiVersion", "kind", "metadata", "spec"].contains(key) {
            unknown.append(key)
            members[key] = nil
        }
        if let spec = members["spec"], spec != .null {
            guard case .object(var specMembers) = spec else {
                throw decodeError(
                    "json: cannot unmarshal \(spec.schemaTypeName) into Go struct field Lease.spec of type v1.LeaseSpec"
                )
            }
            for (key, value) in specMembers {
                guard let goType = specFields[key] else {
                    unknown.append("spec." + key)
                    specMembers[key] = nil
                    continue
                }
                if value == .null {
                    specMembers[key] = nil
                    continue
                }
                switch goType {
                case "int32":
                    guard let number = value.intValue, number >= Int64(Int32.min), number <= Int64(Int32.max),
                        case .int = value
                    else {
                        throw decodeError(
                            "json: cannot unmarshal \(KubeJSON.goTypeWord(value)) into Go struct field LeaseSpec.spec.\(key) of type int32"
                        )
                    }
                    specMembers[key] = .int(number)
                case "v1.MicroTime":
                    guard let text = value.stringValue else {
                        throw decodeError(
                            "json: cannot unmarshal \(KubeJSON.goTypeWord(value)) into Go struct field LeaseSpec.spec.\(key) of type v1.MicroTime"
                        )
                    }
                    switch KubeTime.parseMicro(text) {
                    case .success(let date): specMembers[key] = .string(KubeTime.micro(date))
                    case .failure(let error): throw decodeError(error.message)
                    }
                default:
                    guard value.stringValue != nil else {
                        throw decodeError(
                            "json: cannot unmarshal \(KubeJSON.goTypeWord(value)) into Go struct field LeaseSpec.spec.\(key) of type \(goType)"
                        )
                    }
                }
            }
            members["spec"] = .object(specMembers)
        }
        return (.object(members), unknown.sorted())
    }

    /// `ValidateLease` (plus the name rule), as 422 causes.
    static func validate(_ lease: JSONValue) -> [InvalidCause] {
        var causes: [InvalidCause] = []
        let name = lease["metadata"]?["name"]?.stringValue ?? ""
        if name.isEmpty {
            causes.append(.required("metadata.name", "name or generateName is required"))
        } else {
            for message in NameValidation.dns1123SubdomainErrors(name) {
                causes.append(.invalid("metadata.name", value: KubeJSON.quote(name), message))
            }
        }
        let spec = lease["spec"] ?? [:]
        if let duration = spec["leaseDurationSeconds"]?.intValue, duration <= 0 {
            causes.append(.invalid("spec.leaseDurationSeconds", value: String(duration), "must be greater than 0"))
        }
        if let transitions = spec["leaseTransitions"]?.intValue, transitions < 0 {
            causes.append(
                .invalid("spec.leaseTransitions", value: String(transitions), "must be greater than or equal to 0"))
        }
        if spec["preferredHolder"]?.stringValue.map({ !$0.isEmpty }) ?? false,
            spec["strategy"]?.stringValue.map({ $0.isEmpty }) ?? true
        {
            causes.append(.forbidden("spec.preferredHolder", "preferredHolder is only allowed if strategy is set"))
        }
        return causes
    }

    private static func decodeError(_ detail: String) -> APIError {
        .badRequest("Lease in version \"v1\" cannot be handled as a Lease: \(detail)")
    }
}
