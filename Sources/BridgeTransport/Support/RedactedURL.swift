/// Removes credentials from URLs before they reach logs and error messages.
///
/// Userinfo (`user:password@`) is dropped and the values of query parameters whose names look like credentials
/// (`token`, `access_token`, `password`, `secret`, `key`, `signature`, `auth`, ...) become `REDACTED`. Other query
/// parameters such as `watch` or `resourceVersion` are kept because they help diagnose a failure.
public enum RedactedURL {
    /// Name fragments that mark a query parameter as a credential (compared case-insensitively).
    static let sensitiveNameFragments = ["token", "password", "passwd", "secret", "key", "sig", "auth", "credential"]

    /// Returns `url` with userinfo removed and credential-like query values replaced.
    public static func redact(_ url: String) -> String {
        var remainder = Substring(url)
        var result = ""

        if let schemeEnd = Self.endOfScheme(in: remainder) {
            result += remainder[..<schemeEnd]
            remainder = remainder[schemeEnd...]
            let authorityEnd =
                remainder.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) ?? remainder.endIndex
            let authority = remainder[..<authorityEnd]
            if let at = authority.lastIndex(of: "@") {
                result += authority[authority.index(after: at)...]
            } else {
                result += authority
            }
            remainder = remainder[authorityEnd...]
        }

        var fragment: Substring = ""
        if let hash = remainder.firstIndex(of: "#") {
            fragment = remainder[hash...]
            remainder = remainder[..<hash]
        }
        guard let question = remainder.firstIndex(of: "?") else {
            return result + remainder + fragment
        }
        result += remainder[...question]
        let query = remainder[remainder.index(after: question)...]
        let parameters = query.split(separator: "&", omittingEmptySubsequences: false).map { parameter -> String in
            guard let equals = parameter.firstIndex(of: "=") else { return String(parameter) }
            let name = parameter[..<equals]
            return Self.isSensitive(name) ? "\(name)=REDACTED" : String(parameter)
        }
        return result + parameters.joined(separator: "&") + fragment
    }

    /// The index just past `scheme://`, if the URL starts with one.
    static func endOfScheme(in url: Substring) -> Substring.Index? {
        guard let colon = url.firstIndex(of: ":"),
            url[..<colon].allSatisfy({ $0.isLetter || $0.isNumber || $0 == "+" || $0 == "-" || $0 == "." }),
            url[colon...].hasPrefix("://")
        else { return nil }
        return url.index(colon, offsetBy: 3)
    }

    static func isSensitive(_ name: Substring) -> Bool {
        let lowered = name.lowercased()
        return Self.sensitiveNameFragments.contains { lowered.contains($0) }
    }
}
