import BridgeKernel

/// apimachinery's `ValidateObjectMetaAccessor` for a custom resource on create, with the CR name rule
/// (`NameIsDNSSubdomain`). Managed fields are not checked: the apiserver rewrites them on every write.
enum ObjectMetadataValidator {
    /// Total size limit of all annotation keys and values (256 KiB).
    static let totalAnnotationSizeLimit: Int64 = 256 * 1024

    static func validate(_ metadata: ObjectMetadata, namespaced: Bool) -> [FieldError] {
        var errors: [FieldError] = []
        if !metadata.generateName.isEmpty {
            for message in NameValidation.dns1123SubdomainErrors(maskTrailingDash(metadata.generateName)) {
                errors.append(.invalid("metadata.generateName", .string(metadata.generateName), message))
            }
        }
        if metadata.name.isEmpty {
            // The apiserver generates a name from generateName before validating (rest.BeforeCreate).
            if metadata.generateName.isEmpty {
                errors.append(.required("metadata.name", "name or generateName is required"))
            }
        } else {
            for message in NameValidation.dns1123SubdomainErrors(metadata.name) {
                errors.append(.invalid("metadata.name", .string(metadata.name), message))
            }
        }
        if namespaced {
            if metadata.namespace.isEmpty {
                errors.append(.required("metadata.namespace"))
            } else {
                for message in NameValidation.dns1123LabelErrors(metadata.namespace) {
                    errors.append(.invalid("metadata.namespace", .string(metadata.namespace), message))
                }
            }
        } else if !metadata.namespace.isEmpty {
            errors.append(.forbidden("metadata.namespace", "not allowed on this type"))
        }
        if metadata.generation < 0 {
            errors.append(
                .invalid("metadata.generation", .int(metadata.generation), "must be greater than or equal to 0"))
        }
        for key in metadata.labels.keys.sorted(by: GoString.less) {
            for message in NameValidation.qualifiedNameErrors(key) {
                errors.append(.invalid("metadata.labels", .string(key), message))
            }
            let value = metadata.labels[key]!
            for message in NameValidation.labelValueErrors(value) {
                errors.append(.invalid("metadata.labels", .string(value), message))
            }
        }
        var annotationBytes: Int64 = 0
        for key in metadata.annotations.keys.sorted(by: GoString.less) {
            for message in NameValidation.qualifiedNameErrors(key.lowercased()) {
                errors.append(.invalid("metadata.annotations", .string(key), message))
            }
            annotationBytes += Int64(key.utf8.count + metadata.annotations[key]!.utf8.count)
        }
        if annotationBytes > totalAnnotationSizeLimit {
            errors.append(.tooLong("metadata.annotations", maximum: totalAnnotationSizeLimit))
        }
        errors.append(contentsOf: validateOwnerReferences(metadata.ownerReferences))
        var hasOrphan = false
        var hasForeground = false
        for finalizer in metadata.finalizers {
            for message in NameValidation.qualifiedNameErrors(finalizer) {
                errors.append(.invalid("metadata.finalizers", .string(finalizer), message))
            }
            hasOrphan = hasOrphan || finalizer == "orphan"
            hasForeground = hasForeground || finalizer == "foregroundDeletion"
        }
        if hasOrphan && hasForeground {
            errors.append(
                .invalid(
                    "metadata.finalizers", .array(metadata.finalizers.map(JSONValue.string)),
                    "finalizer orphan and foregroundDeletion cannot be both set"))
        }
        return errors
    }

    /// `maskTrailingDash`: a generateName may end in `-`; Go replaces the last two characters with `a`.
    private static func maskTrailingDash(_ name: String) -> String {
        guard name.utf8.count > 1, name.hasSuffix("-") else { return name }
        return String(decoding: name.utf8.dropLast(2), as: UTF8.self) + "a"
    }

    private static func validateOwnerReferences(_ references: [ObjectMetadata.OwnerReference]) -> [FieldError] {
        var errors: [FieldError] = []
        let path = "metadata.ownerReferences"
        var firstController: String?
        for reference in references {
            let slash = reference.apiVersion.split(separator: "/", omittingEmptySubsequences: false)
            let version = slash.count == 1 ? String(slash[0]) : slash.count == 2 ? String(slash[1]) : ""
            if version.isEmpty {
                errors.append(
                    .invalid(path + ".apiVersion", .string(reference.apiVersion), "version must not be empty"))
            }
            if reference.kind.isEmpty {
                errors.append(.invalid(path + ".kind", .string(reference.kind), "kind must not be empty"))
            }
            if reference.name.isEmpty {
                errors.append(.invalid(path + ".name", .string(reference.name), "name must not be empty"))
            }
            if reference.uid.isEmpty {
                errors.append(.invalid(path + ".uid", .string(reference.uid), "uid must not be empty"))
            }
            if reference.controller {
                let current = reference.kind + "/" + reference.name
                if let firstController {
                    errors.append(
                        .invalid(
                            path, .string(""),
                            "Only one reference can have Controller set to true. Found \"true\" in references for \(firstController) and \(current)"
                        ))
                } else {
                    firstController = current
                }
            }
        }
        return errors
    }
}
