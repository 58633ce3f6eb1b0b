/// A CustomResourceDefinition could not be turned into validators.
///
/// Loading fails loudly rather than skipping anything it does not understand, so that a CRD update cannot
/// silently weaken validation.
public struct CRDLoadingError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong.
    public enum Code: Hashable, Sendable {
        /// The file could not be read.
        case unreadableFile
        /// The text is not YAML.
        case malformedYAML
        /// The document is not an `apiextensions.k8s.io/v1` CustomResourceDefinition or lacks a required field.
        case malformedDefinition
        /// A schema uses a keyword or extension this validator does not implement.
        case unsupportedSchemaFeature
        /// An `x-kubernetes-validations` rule has no hand-written implementation in ``ValidationRuleCatalog``.
        case unknownValidationRule
        /// A known rule sits on a schema node of a type its implementation does not handle.
        case ruleOnUnexpectedType
        /// No CRD directory could be found.
        case directoryNotFound
    }

    /// What went wrong.
    public var code: Code
    /// The CRD (`metadata.name`) or file concerned, when known.
    public var source: String?
    /// The location inside the CRD document (`spec.versions[0].schema.openAPIV3Schema.properties.spec`), when known.
    public var location: String?
    /// The explanation.
    public var detail: String

    /// Creates an error.
    public init(code: Code, source: String? = nil, location: String? = nil, detail: String) {
        self.code = code
        self.source = source
        self.location = location
        self.detail = detail
    }

    public var description: String {
        var text = "cannot load CRD"
        if let source { text += " \(source)" }
        if let location { text += " at \(location)" }
        return text + " (\(code)): " + detail
    }
}
