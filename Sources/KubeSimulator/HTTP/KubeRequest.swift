import BridgeKernel
import Foundation

/// A request as the API handlers see it: method, decoded path and query, the headers they use, the body and
/// the authenticated user.
struct KubeRequest: Sendable {
    var method: String
    var path: String
    var query: [String: String]
    var accept: String
    var contentType: String
    var userAgent: String
    var body: Data
    var user: KubeUser

    /// Path segments without empty ones.
    var segments: [String] { path.split(separator: "/").map(String.init) }

    /// A boolean query flag (`watch=true`, `watch=1`).
    func flag(_ name: String) -> Bool {
        guard let value = query[name] else { return false }
        return value == "true" || value == "1"
    }

    /// `dryRun=All`.
    var isDryRun: Bool { query["dryRun"] == "All" }

    /// The media type of the body without parameters (`application/merge-patch+json`).
    var mediaType: String {
        // Clients nearly always send a bare lower-case media type; only others need splitting and trimming.
        if !contentType.utf8.contains(where: {
            $0 == UInt8(ascii: ";") || $0 == UInt8(ascii: " ") || (0x41...0x5A).contains($0)
        }) {
            return contentType
        }
        return contentType.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            ?? ""
    }

    /// The field manager: the `fieldManager` parameter, else the user agent up to its first `/`.
    var fieldManager: String {
        if let manager = query["fieldManager"], !manager.isEmpty { return manager }
        let prefix = userAgent.split(separator: "/", maxSplits: 1).first.map(String.init) ?? ""
        return String(prefix.prefix(128))
    }

    /// Whether the client asked for a `meta.k8s.io` Table.
    var wantsTable: Bool {
        // Only an Accept header that names a Table at all needs parsing.
        guard accept.contains("as=Table") else { return false }
        return accept.split(separator: ",").contains { entry in
            let parameters = entry.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            return parameters.contains("as=Table") && parameters.contains("g=meta.k8s.io")
        }
    }

    /// The body parsed as JSON (or YAML for `application/yaml` and apply patches).
    func bodyDocument() throws(APIError) -> JSONValue {
        if mediaType == KubeProtobuf.mediaType {
            do {
                return try KubeProtobuf.decodeObject(body)
            } catch {
                throw APIError.badRequest(error.message)
            }
        }
        if mediaType == "application/yaml" || mediaType == "application/apply-patch+yaml" {
            // JSON is YAML, and clients (kubectl, the bridge) send apply patches as JSON: parse those directly,
            // which is several times cheaper than the YAML loader, and fall back to YAML for anything else.
            if body.first(where: { !Self.isJSONWhitespace($0) }) == UInt8(ascii: "{"),
                let document = try? JSONValue.parse(body)
            {
                return document
            }
            do {
                return try KubernetesYAMLBridge.document(String(decoding: body, as: UTF8.self))
            } catch {
                throw APIError.badRequest("error converting YAML to JSON: \(error)")
            }
        }
        do {
            return try JSONValue.parse(body)
        } catch {
            throw APIError.badRequest(
                "the object provided is unrecognized (must be of type JSON): invalid character in the request body (\(String(decoding: body.prefix(30), as: UTF8.self)))"
            )
        }
    }

    private static func isJSONWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0a || byte == 0x0d || byte == 0x09
    }
}
