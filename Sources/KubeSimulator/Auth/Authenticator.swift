import Foundation

/// Authentication as kube-apiserver's union authenticator: a verified client certificate (CN = user,
/// O = groups) first, then a bearer token from the configured list, then anonymous if allowed.
struct Authenticator: Sendable {
    let tokens: [String: KubeUser]
    let anonymousAllowed: Bool

    /// The user, or `nil` for 401.
    func authenticate(authorization: String?, certificateUser: KubeUser?) -> KubeUser? {
        if let certificateUser { return certificateUser }
        if let authorization, !authorization.isEmpty {
            let parts = authorization.split(separator: " ", maxSplits: 1)
            guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
            return tokens[parts[1].trimmingCharacters(in: .whitespaces)]
        }
        return anonymousAllowed ? .anonymous : nil
    }
}
