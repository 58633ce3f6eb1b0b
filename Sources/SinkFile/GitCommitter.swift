import Foundation

/// Commits the sink's files to the git repository that holds the output directory, with the `git` on PATH.
struct GitCommitter {
    var directory: String
    var authorName: String
    var authorEmail: String

    /// Stages exactly `files` (additions, changes and deletions) and commits only them.
    func commit(files: [String], message: String) throws(FileSinkError) {
        _ = try git(["add", "-A", "--"] + files)
        let staged = try git(["diff", "--cached", "--name-only", "--"] + files)
        guard !staged.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return }
        _ = try git(
            [
                "-c", "user.name=\(authorName)", "-c", "user.email=\(authorEmail)", "commit", "--quiet", "--no-verify",
                "-m", message, "--",
            ]
                + files)
    }

    private func git(_ arguments: [String]) throws(FileSinkError) -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git", "-C", directory] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        do {
            try process.run()
        } catch {
            throw FileSinkError(.gitFailed, path: directory, detail: "cannot run git: \(error)")
        }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        guard process.terminationStatus == 0 else {
            throw FileSinkError(
                .gitFailed, path: directory,
                detail:
                    "git \(arguments.prefix(1).joined()) exited \(process.terminationStatus): \(text.trimmingCharacters(in: .whitespacesAndNewlines))"
            )
        }
        return text
    }
}
