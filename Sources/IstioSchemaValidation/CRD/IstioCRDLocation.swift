import Foundation

/// Finds the directory holding the saved Istio CRDs (`shared/istio-crds`), which deliberately lives outside the
/// repository: the checkout sits next to `shared/`, so the directory is `<checkout>/../shared/istio-crds`.
public enum IstioCRDLocation {
    /// The environment variable that overrides the search.
    public static let environmentVariable = "ISTIO_CRDS_DIR"
    /// The directory's path below a common ancestor.
    public static let relativePath = "shared/istio-crds"
    /// A file every CRD directory must contain.
    static let markerFile = "serviceentry.crd.yaml"

    /// The CRD directory: `$ISTIO_CRDS_DIR` when set, otherwise the first `shared/istio-crds` found walking up
    /// from the current directory, then from `filePath` (pass `#filePath` of a file inside the checkout).
    ///
    /// - Returns: `nil` when no directory is found (or `$ISTIO_CRDS_DIR` names a directory without the CRDs).
    public static func directory(filePath: String = #filePath) -> String? {
        directory(
            environment: ProcessInfo.processInfo.environment,
            currentDirectory: FileManager.default.currentDirectoryPath,
            filePath: filePath)
    }

    /// The search with its inputs made explicit.
    static func directory(environment: [String: String], currentDirectory: String, filePath: String) -> String? {
        if let configured = environment[environmentVariable], !configured.isEmpty {
            return containsCRDs(configured) ? configured : nil
        }
        for start in [currentDirectory, (filePath as NSString).deletingLastPathComponent] {
            var current = URL(fileURLWithPath: start).standardizedFileURL
            while true {
                let candidate = current.appendingPathComponent(relativePath).path
                if containsCRDs(candidate) { return candidate }
                let parent = current.deletingLastPathComponent()
                if parent.path == current.path { break }
                current = parent
            }
        }
        return nil
    }

    private static func containsCRDs(_ directory: String) -> Bool {
        FileManager.default.fileExists(atPath: (directory as NSString).appendingPathComponent(markerFile))
    }
}
