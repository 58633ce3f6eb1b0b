#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writes files so a crash never leaves a half-written one: the content goes to a temporary file in the same
/// directory, is flushed to disk, and is then renamed over the target in one step.
enum AtomicFile {
    /// Writes `content` to `path` atomically.
    static func write(_ content: String, to path: String) throws(FileSinkError) {
        let directory = path.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        let fileName = path.split(separator: "/").last.map(String.init) ?? path
        let temporary = (directory.isEmpty ? "" : directory + "/") + ".\(fileName).tmp-\(getpid())"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw FileSinkError(.writeFailed, path: path, errno: errno) }
        var bytes = Array(content.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeMutableBytes { buffer in
                Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
            }
            if written < 0 {
                if errno == EINTR { continue }
                let code = errno
                close(descriptor)
                unlink(temporary)
                throw FileSinkError(.writeFailed, path: path, errno: code)
            }
            offset += written
        }
        bytes.removeAll()
        if fsync(descriptor) != 0 {
            let code = errno
            close(descriptor)
            unlink(temporary)
            throw FileSinkError(.writeFailed, path: path, errno: code)
        }
        close(descriptor)
        guard rename(temporary, path) == 0 else {
            let code = errno
            unlink(temporary)
            throw FileSinkError(.writeFailed, path: path, errno: code)
        }
    }

    /// Deletes a file; a missing file is not an error.
    static func remove(_ path: String) throws(FileSinkError) {
        if unlink(path) != 0, errno != ENOENT { throw FileSinkError(.deleteFailed, path: path, errno: errno) }
    }
}
