#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A file the sink could not write, read or delete, or a git step that failed.
public struct FileSinkError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What failed.
    public enum Code: String, Sendable, Hashable {
        /// The output directory could not be created or listed.
        case directoryUnavailable = "cannot use output directory"
        /// A manifest could not be written.
        case writeFailed = "cannot write"
        /// A stale manifest could not be deleted.
        case deleteFailed = "cannot delete"
        /// A file with the sink's name exists but is not the sink's (no ownership header).
        case notOwned = "refusing to overwrite a file MeshBridge does not own"
        /// A git command failed.
        case gitFailed = "git failed"
    }

    /// What failed.
    public var code: Code
    /// The file or directory.
    public var path: String
    /// Details (the OS error or git's output).
    public var detail: String

    /// Creates an error.
    public init(_ code: Code, path: String, detail: String = "") {
        self.code = code
        self.path = path
        self.detail = detail
    }

    init(_ code: Code, path: String, errno: Int32) {
        self.init(code, path: path, detail: String(cString: strerror(errno)))
    }

    public var description: String { "\(code.rawValue) \(path)" + (detail.isEmpty ? "" : ": \(detail)") }
}
