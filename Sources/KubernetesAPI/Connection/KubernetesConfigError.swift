/// A kubeconfig or in-cluster configuration that cannot be used, with the file and the entry at fault.
public struct KubernetesConfigError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong.
    public enum Code: String, Sendable, Hashable {
        /// No kubeconfig file exists and the process does not run in a cluster.
        case notFound
        /// A file could not be read.
        case unreadable
        /// The file is not a kubeconfig (not YAML, or the wrong shape).
        case malformed
        /// The selected context, or the cluster or user it names, does not exist.
        case missingEntry
        /// Settings that cannot be combined or are not supported (exec plugins, basic auth, CA with insecure).
        case unsupported
    }

    /// What is wrong.
    public var code: Code
    /// The file (or `in-cluster`) the problem is in.
    public var source: String
    /// The explanation for an operator.
    public var detail: String

    /// Creates an error.
    public init(_ code: Code, source: String, detail: String) {
        self.code = code
        self.source = source
        self.detail = detail
    }

    public var description: String { "\(source): \(detail)" }
}
