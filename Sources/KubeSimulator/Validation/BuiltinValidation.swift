import BridgeKernel
import IstioSchemaValidation

/// Decoding and validation of the built-in types served for deployment manifests, as the typed apiserver does
/// for the checks that catch real manifest mistakes: unknown top-level fields (for `fieldValidation`), JSON type
/// errors in ConfigMap data (400), names, Deployment selectors and containers, RBAC rules, role references and
/// subjects (422), and the immutable fields on update. RBAC subjects get their API-group default.
///
/// Not modelled: the full typed schema below the top level (unknown nested fields are stored as given) and the
/// API defaults of Deployments and pod templates (the object is stored as sent).
enum BuiltinValidation {
    /// The RBAC API group, the only one `roleRef` and User/Group subjects may name.
    static let rbacGroup = "rbac.authorization.k8s.io"
    /// `MaxSecretSize`, the limit of a ConfigMap's data.
    static let maxConfigMapBytes = 1024 * 1024

    /// The normalized object and the unknown field paths, or a 400 for a JSON type error.
    static func decode(_ kind: BuiltinKind, _ object: JSONValue) throws(APIError) -> (
        object: JSONValue, unknownFields: [String]
    ) {
        var members = object.objectValue ?? [:]
        var unknown: [String] = []
        for key in members.keys where !kind.topLevelFields.contains(key) {
            unknown.append(key)
            members[key] = nil
        }
        switch kind {
        case .configMap:
            for field in ["data", "binaryData"] {
                guard let value = members[field], value != .null else { continue }
                guard let entries = value.objectValue else {
                    throw decodeError(
                        kind,
                        "json: cannot unmarshal \(KubeJSON.goTypeWord(value)) into Go struct field ConfigMap.\(field) of type map[string]\(field == "data" ? "string" : "[]uint8")"
                    )
                }
                for entry in entries.values where entry.stringValue == nil {
                    throw decodeError(
                        kind,
                        "json: cannot unmarshal \(KubeJSON.goTypeWord(entry)) into Go struct field ConfigMap.\(field) of type \(field == "data" ? "string" : "[]uint8")"
                    )
                }
            }
        case .roleBinding:
            if let subjects = members["subjects"]?.arrayValue {
                members["subjects"] = .array(subjects.map(defaultingSubject))
            }
        case .deployment:
            if let spec = members["spec"], spec != .null, spec.objectValue == nil {
                throw decodeError(
                    kind,
                    "json: cannot unmarshal \(KubeJSON.goTypeWord(spec)) into Go struct field Deployment.spec of type v1.DeploymentSpec"
                )
            }
            if let replicas = members["spec"]?["replicas"], replicas != .null, replicas.intValue == nil {
                throw decodeError(
                    kind,
                    "json: cannot unmarshal \(KubeJSON.goTypeWord(replicas)) into Go struct field DeploymentSpec.spec.replicas of type int32"
                )
            }
        case .serviceAccount, .role:
            break
        }
        return (.object(members), unknown.sorted())
    }

    /// The 422 causes of a new or updated object.
    static func validate(_ kind: BuiltinKind, _ object: JSONValue) -> [InvalidCause] {
        var causes = nameCauses(kind, object["metadata"]?["name"]?.stringValue ?? "")
        switch kind {
        case .serviceAccount:
            break
        case .configMap:
            causes += configMapCauses(object)
        case .deployment:
            causes += deploymentCauses(object)
        case .role:
            for (index, rule) in (object["rules"]?.arrayValue ?? []).enumerated() {
                causes += ruleCauses(rule, path: "rules[\(index)]")
            }
        case .roleBinding:
            causes += roleBindingCauses(object)
        }
        return causes
    }

    /// The causes an update adds: fields that may not change.
    static func updateCauses(_ kind: BuiltinKind, old: JSONValue, new: JSONValue) -> [InvalidCause] {
        switch kind {
        case .roleBinding:
            let oldReference = old["roleRef"] ?? .null
            let newReference = new["roleRef"] ?? .null
            guard oldReference != newReference else { return [] }
            return [.invalid("roleRef", value: goRoleRef(newReference), "cannot change roleRef")]
        case .deployment:
            let oldSelector = old["spec"]?["selector"] ?? .null
            let newSelector = new["spec"]?["selector"] ?? .null
            guard oldSelector != newSelector else { return [] }
            return [.invalid("spec.selector", value: goLabelSelector(newSelector), "field is immutable")]
        case .configMap:
            guard old["immutable"]?.boolValue == true else { return [] }
            var causes: [InvalidCause] = []
            if new["immutable"]?.boolValue != true {
                causes.append(.forbidden("immutable", "field is immutable when `immutable` is set"))
            }
            if (old["data"] ?? .null) != (new["data"] ?? .null) {
                causes.append(.forbidden("data", "field is immutable when `immutable` is set"))
            }
            if (old["binaryData"] ?? .null) != (new["binaryData"] ?? .null) {
                causes.append(.forbidden("binaryData", "field is immutable when `immutable` is set"))
            }
            return causes
        case .serviceAccount, .role:
            return []
        }
    }

    // MARK: Names

    private static func nameCauses(_ kind: BuiltinKind, _ name: String) -> [InvalidCause] {
        guard !name.isEmpty else { return [.required("metadata.name", "name or generateName is required")] }
        let messages: [String]
        switch kind {
        case .role, .roleBinding: messages = pathSegmentErrors(name)
        case .serviceAccount, .configMap, .deployment: messages = NameValidation.dns1123SubdomainErrors(name)
        }
        return messages.map { .invalid("metadata.name", value: KubeJSON.quote(name), $0) }
    }

    /// `path.IsValidPathSegmentName`, the rule for RBAC names (colons are allowed: `system:controller`).
    static func pathSegmentErrors(_ name: String) -> [String] {
        if name == "." || name == ".." { return ["may not be '\(name)'"] }
        return ["/", "%"].filter { name.contains($0) }.map { "may not contain '\($0)'" }
    }

    // MARK: ConfigMap

    private static func configMapCauses(_ object: JSONValue) -> [InvalidCause] {
        var causes: [InvalidCause] = []
        var total = 0
        let data = object["data"]?.objectValue ?? [:]
        let binary = object["binaryData"]?.objectValue ?? [:]
        for (field, entries) in [("data", data), ("binaryData", binary)] {
            for key in entries.keys.sorted() {
                for message in configKeyErrors(key) {
                    causes.append(.invalid("\(field)[\(key)]", value: KubeJSON.quote(key), message))
                }
                if field == "binaryData", data[key] != nil {
                    causes.append(
                        .invalid(
                            "binaryData[\(key)]", value: KubeJSON.quote(key),
                            "duplicate of key present in data"))
                }
                total += entries[key]?.stringValue?.utf8.count ?? 0
            }
        }
        if total > maxConfigMapBytes { causes.append(.tooLong("", maximumBytes: maxConfigMapBytes)) }
        return causes
    }

    /// `IsConfigMapKey`.
    private static func configKeyErrors(_ key: String) -> [String] {
        var errors: [String] = []
        if key.utf8.count > 253 { errors.append("must be no more than 253 characters") }
        let allowed = key.unicodeScalars.allSatisfy { scalar in
            ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
                || "-._".unicodeScalars.contains(scalar)
        }
        if key.isEmpty || !allowed {
            errors.append(
                "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')"
            )
        }
        if key == "." || key == ".." {
            errors.append("must not be '\(key)'")
        } else if key.hasPrefix("..") {
            errors.append("must not start with '..'")
        }
        return errors
    }

    // MARK: Deployment

    private static func deploymentCauses(_ object: JSONValue) -> [InvalidCause] {
        var causes: [InvalidCause] = []
        let spec = object["spec"] ?? [:]
        if let replicas = spec["replicas"]?.intValue, replicas < 0 {
            causes.append(.invalid("spec.replicas", value: String(replicas), "must be greater than or equal to 0"))
        }
        var requirements: [LabelSelector.Requirement] = []
        if let selector = spec["selector"], selector != .null {
            if let parsed = StructuredLabelSelector.requirements(selector) {
                requirements = parsed
                if parsed.isEmpty {
                    causes.append(
                        .invalid(
                            "spec.selector", value: goLabelSelector(selector),
                            "empty selector is invalid for deployment"))
                }
            } else {
                causes.append(
                    .invalid("spec.selector", value: goLabelSelector(selector), "invalid label selector expression"))
            }
        } else {
            causes.append(.required("spec.selector"))
        }
        let template = spec["template"] ?? [:]
        let labels = (template["metadata"]?["labels"]?.objectValue ?? [:]).compactMapValues(\.stringValue)
        if !requirements.isEmpty, !LabelSelector(requirements: requirements).matches(labels) {
            causes.append(
                .invalid(
                    "spec.template.metadata.labels", value: goStringMap(labels),
                    "`selector` does not match template `labels`"))
        }
        let podSpec = template["spec"] ?? [:]
        let containers = podSpec["containers"]?.arrayValue ?? []
        if containers.isEmpty { causes.append(.required("spec.template.spec.containers")) }
        var names = Set<String>()
        for (index, container) in containers.enumerated() {
            let path = "spec.template.spec.containers[\(index)]"
            let name = container["name"]?.stringValue ?? ""
            if name.isEmpty {
                causes.append(.required(path + ".name"))
            } else if !names.insert(name).inserted {
                causes.append(
                    InvalidCause(
                        reason: "FieldValueDuplicate", field: path + ".name",
                        message: "Duplicate value: \(KubeJSON.quote(name))"))
            } else {
                for message in NameValidation.dns1123LabelErrors(name) {
                    causes.append(.invalid(path + ".name", value: KubeJSON.quote(name), message))
                }
            }
            if (container["image"]?.stringValue ?? "").isEmpty { causes.append(.required(path + ".image")) }
        }
        if let policy = podSpec["restartPolicy"]?.stringValue, policy != "Always" {
            causes.append(.notSupported("spec.template.spec.restartPolicy", value: policy, supported: ["Always"]))
        }
        return causes
    }

    // MARK: RBAC

    private static func ruleCauses(_ rule: JSONValue, path: String) -> [InvalidCause] {
        var causes: [InvalidCause] = []
        func count(_ field: String) -> Int { rule[field]?.arrayValue?.count ?? 0 }
        if count("verbs") == 0 { causes.append(.required(path + ".verbs", "verbs must contain at least one value")) }
        if count("nonResourceURLs") > 0 {
            let urls = goStringSlice(rule["nonResourceURLs"]?.arrayValue?.compactMap(\.stringValue) ?? [])
            causes.append(
                .invalid(path + ".nonResourceURLs", value: urls, "namespaced rules cannot apply to non-resource URLs"))
            if count("apiGroups") > 0 || count("resources") > 0 || count("resourceNames") > 0 {
                causes.append(
                    .invalid(
                        path + ".nonResourceURLs", value: urls,
                        "rules cannot apply to both regular resources and non-resource URLs"))
            }
            return causes
        }
        if count("apiGroups") == 0 {
            causes.append(.required(path + ".apiGroups", "resource rules must supply at least one api group"))
        }
        if count("resources") == 0 {
            causes.append(.required(path + ".resources", "resource rules must supply at least one resource"))
        }
        return causes
    }

    private static func roleBindingCauses(_ object: JSONValue) -> [InvalidCause] {
        var causes: [InvalidCause] = []
        let reference = object["roleRef"] ?? [:]
        let group = reference["apiGroup"]?.stringValue ?? ""
        if group != rbacGroup {
            causes.append(.notSupported("roleRef.apiGroup", value: group, supported: [rbacGroup]))
        }
        let kind = reference["kind"]?.stringValue ?? ""
        if kind != "Role", kind != "ClusterRole" {
            causes.append(.notSupported("roleRef.kind", value: kind, supported: ["Role", "ClusterRole"]))
        }
        let name = reference["name"]?.stringValue ?? ""
        if name.isEmpty {
            causes.append(.required("roleRef.name"))
        } else {
            for message in pathSegmentErrors(name) {
                causes.append(.invalid("roleRef.name", value: KubeJSON.quote(name), message))
            }
        }
        for (index, subject) in (object["subjects"]?.arrayValue ?? []).enumerated() {
            causes += subjectCauses(subject, path: "subjects[\(index)]")
        }
        return causes
    }

    private static func subjectCauses(_ subject: JSONValue, path: String) -> [InvalidCause] {
        var causes: [InvalidCause] = []
        let name = subject["name"]?.stringValue ?? ""
        let group = subject["apiGroup"]?.stringValue ?? ""
        if name.isEmpty { causes.append(.required(path + ".name")) }
        switch subject["kind"]?.stringValue ?? "" {
        case "ServiceAccount":
            if !name.isEmpty {
                for message in NameValidation.dns1123SubdomainErrors(name) {
                    causes.append(.invalid(path + ".name", value: KubeJSON.quote(name), message))
                }
            }
            if !group.isEmpty { causes.append(.notSupported(path + ".apiGroup", value: group, supported: [""])) }
        case "User", "Group":
            if group != rbacGroup {
                causes.append(.notSupported(path + ".apiGroup", value: group, supported: [rbacGroup]))
            }
        case let other:
            causes.append(.notSupported(path + ".kind", value: other, supported: ["ServiceAccount", "User", "Group"]))
        }
        return causes
    }

    /// `SetDefaults_Subject`: User and Group subjects default to the RBAC group.
    private static func defaultingSubject(_ subject: JSONValue) -> JSONValue {
        guard case .object(var members) = subject, (members["apiGroup"]?.stringValue ?? "").isEmpty else {
            return subject
        }
        switch members["kind"]?.stringValue {
        case "User", "Group": members["apiGroup"] = .string(rbacGroup)
        default: break
        }
        return .object(members)
    }

    // MARK: Go value formatting in messages (`%#v`)

    private static func goRoleRef(_ reference: JSONValue) -> String {
        let fields = ["apiGroup": "APIGroup", "kind": "Kind", "name": "Name"]
        let parts = ["apiGroup", "kind", "name"].map { key in
            "\(fields[key]!):\(KubeJSON.quote(reference[key]?.stringValue ?? ""))"
        }
        return "rbac.RoleRef{" + parts.joined(separator: ", ") + "}"
    }

    private static func goStringMap(_ map: [String: String]) -> String {
        let entries = map.keys.sorted().map { "\(KubeJSON.quote($0)):\(KubeJSON.quote(map[$0]!))" }
        return "map[string]string{" + entries.joined(separator: ", ") + "}"
    }

    private static func goStringSlice(_ values: [String]) -> String {
        "[]string{" + values.map(KubeJSON.quote).joined(separator: ", ") + "}"
    }

    private static func goLabelSelector(_ selector: JSONValue) -> String {
        let labels = (selector["matchLabels"]?.objectValue ?? [:]).compactMapValues(\.stringValue)
        let expressions = selector["matchExpressions"]?.arrayValue ?? []
        let matchLabels = labels.isEmpty ? "map[string]string(nil)" : goStringMap(labels)
        let matchExpressions =
            expressions.isEmpty
            ? "[]v1.LabelSelectorRequirement(nil)"
            : "[]v1.LabelSelectorRequirement\(JSONValue.array(expressions).canonicalJSON)"
        return "v1.LabelSelector{MatchLabels:\(matchLabels), MatchExpressions:\(matchExpressions)}"
    }

    private static func decodeError(_ kind: BuiltinKind, _ detail: String) -> APIError {
        .badRequest("\(kind.goType) in version \"v1\" cannot be handled as a \(kind.goType): \(detail)")
    }
}
