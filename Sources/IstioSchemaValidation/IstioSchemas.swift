import BridgeKernel
import Foundation

/// The ServiceEntry, WorkloadEntry and DestinationRule CRDs loaded together, validating objects by their
/// `apiVersion` and `kind`.
public struct IstioSchemas: Sendable {
    /// The CRD files a directory must contain.
    public static let fileNames = ["serviceentry.crd.yaml", "workloadentry.crd.yaml", "destinationrule.crd.yaml"]

    /// The loaded definitions, in ``fileNames`` order.
    public let definitions: [CustomResourceDefinition]

    /// Loads the three CRDs from `directory`.
    ///
    /// - Throws: ``CRDLoadingError`` when a file is missing or unreadable or a CRD cannot be compiled.
    public init(directory: String) throws(CRDLoadingError) {
        var definitions: [CustomResourceDefinition] = []
        for fileName in Self.fileNames {
            let path = (directory as NSString).appendingPathComponent(fileName)
            let text: String
            do {
                text = try String(contentsOfFile: path, encoding: .utf8)
            } catch {
                throw CRDLoadingError(code: .unreadableFile, source: path, detail: "\(error)")
            }
            definitions.append(try CustomResourceDefinition(yaml: text, source: path))
        }
        self.definitions = definitions
    }

    /// Loads the CRDs from ``IstioCRDLocation/directory(filePath:)``.
    public static func load(filePath: String = #filePath) throws(CRDLoadingError) -> IstioSchemas {
        guard let directory = IstioCRDLocation.directory(filePath: filePath) else {
            throw CRDLoadingError(
                code: .directoryNotFound,
                detail:
                    "set \(IstioCRDLocation.environmentVariable) or check out the repository next to shared/ (looked for \(IstioCRDLocation.relativePath) above the current directory and above \(filePath))"
            )
        }
        return try IstioSchemas(directory: directory)
    }

    /// The definition for `kind` in `group`.
    public func definition(group: String, kind: String) -> CustomResourceDefinition? {
        definitions.first { $0.group == group && $0.names.kind == kind }
    }

    /// The validator for `apiVersion` (`networking.istio.io/v1`) and `kind`, if that version is served.
    public func validator(apiVersion: String, kind: String) -> CustomResourceValidator? {
        guard let slash = apiVersion.lastIndex(of: "/") else { return nil }
        let group = String(apiVersion[..<slash])
        let version = String(apiVersion[apiVersion.index(after: slash)...])
        return definition(group: group, kind: kind)?.validator(forVersion: version)
    }

    /// Validates an object with the validator its `apiVersion` and `kind` select.
    ///
    /// - Throws: ``SchemaLookupError`` when no loaded CRD serves that `apiVersion`/`kind`.
    public func validate(_ object: JSONValue, options: ValidationOptions = ValidationOptions())
        throws(SchemaLookupError)
        -> ValidationResult
    {
        let apiVersion = object["apiVersion"]?.stringValue ?? ""
        let kind = object["kind"]?.stringValue ?? ""
        guard let validator = validator(apiVersion: apiVersion, kind: kind) else {
            throw SchemaLookupError(apiVersion: apiVersion, kind: kind, name: object["metadata"]?["name"]?.stringValue)
        }
        return validator.validate(object, options: options)
    }
}

/// No loaded CRD serves an object's `apiVersion` and `kind`.
public struct SchemaLookupError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong.
    public enum Code: Hashable, Sendable {
        /// The group, version or kind is not served by any loaded CRD.
        case unknownKind
    }

    /// What went wrong.
    public var code: Code = .unknownKind
    /// The object's `apiVersion`.
    public var apiVersion: String
    /// The object's `kind`.
    public var kind: String
    /// The object's `metadata.name`, when present.
    public var name: String?

    public var description: String {
        "no loaded CRD serves apiVersion \(GoFormatting.quote(apiVersion)) kind \(GoFormatting.quote(kind))"
            + (name.map { " (object \(GoFormatting.quote($0)))" } ?? "")
    }
}
