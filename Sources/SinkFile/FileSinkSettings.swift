import BridgeKernel

/// Settings of the `file` sink.
public struct FileSinkSettings: Hashable, Sendable {
    /// Where manifests go; created when missing.
    public var directory: String
    /// Whether to maintain `kustomization.yaml` listing every manifest (so `kubectl apply -k DIR` works).
    public var kustomization = true
    /// Commit each change to the git repository the directory is in.
    public var gitCommit = false
    /// Commit author name.
    public var gitAuthorName = "MeshBridge"
    /// Commit author e-mail.
    public var gitAuthorEmail = "meshbridge@localhost"
    /// Log what would be written instead of writing (`bridge run --dry-run`).
    public var dryRun = false

    /// Creates settings for `directory`.
    public init(directory: String) {
        self.directory = directory
    }

    /// Config keys of the `file` sink.
    public static let configKeys: Set<String> = ["directory", "kustomization", "git"]

    /// Reads the sink's config section.
    public static func decode(_ config: ConfigMapping, context: PluginContext) -> FileSinkSettings? {
        guard let directory = config.required("directory")?.nonEmptyString() else { return nil }
        var settings = FileSinkSettings(directory: context.resolvePath(directory))
        settings.dryRun = context.dryRun
        var ok = true
        if let node = config["kustomization"] {
            if let value = node.bool() { settings.kustomization = value } else { ok = false }
        }
        if let node = config["git"] {
            if let git = node.mapping(allowedKeys: ["commit", "authorName", "authorEmail"]) {
                if let value = git["commit"] {
                    if let flag = value.bool() { settings.gitCommit = flag } else { ok = false }
                }
                if let value = git["authorName"] {
                    if let text = value.nonEmptyString() { settings.gitAuthorName = text } else { ok = false }
                }
                if let value = git["authorEmail"] {
                    if let text = value.nonEmptyString() { settings.gitAuthorEmail = text } else { ok = false }
                }
            } else {
                ok = false
            }
        }
        return ok ? settings : nil
    }
}
