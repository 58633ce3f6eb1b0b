/// The parts of a `ws://` or `wss://` URL that libwebsockets needs separately.
struct WebSocketURL: Sendable, Hashable {
    var secure: Bool
    /// The host to connect to, without IPv6 brackets.
    var host: String
    var port: Int
    /// The path including the query, starting with `/`.
    var path: String

    /// The `Host` header value (the port is included when it is not the scheme's default).
    var hostHeader: String {
        let host = self.host.contains(":") ? "[\(self.host)]" : self.host
        let defaultPort = self.secure ? 443 : 80
        return self.port == defaultPort ? host : "\(host):\(self.port)"
    }

    init(secure: Bool, host: String, port: Int, path: String) {
        self.secure = secure
        self.host = host
        self.port = port
        self.path = path
    }

    /// Parses `url`; returns `nil` unless it is an absolute `ws`/`wss` URL with a host (userinfo is not allowed).
    init?(_ url: String) {
        let rest: Substring
        if url.hasPrefix("ws://") {
            self.secure = false
            rest = url.dropFirst(5)
        } else if url.hasPrefix("wss://") {
            self.secure = true
            rest = url.dropFirst(6)
        } else {
            return nil
        }
        let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) ?? rest.endIndex
        let authority = rest[..<authorityEnd]
        var target = rest[authorityEnd...]
        if let hash = target.firstIndex(of: "#") {
            target = target[..<hash]
        }
        self.path = target.hasPrefix("/") ? String(target) : "/" + target
        guard !authority.isEmpty, !authority.contains("@") else { return nil }

        var portText: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { return nil }
            self.host = String(authority[authority.index(after: authority.startIndex)..<close])
            let afterBracket = authority[authority.index(after: close)...]
            if afterBracket.hasPrefix(":") {
                portText = afterBracket.dropFirst()
            } else if !afterBracket.isEmpty {
                return nil
            }
        } else if let colon = authority.lastIndex(of: ":") {
            self.host = String(authority[..<colon])
            portText = authority[authority.index(after: colon)...]
        } else {
            self.host = String(authority)
        }
        guard !self.host.isEmpty else { return nil }
        if let portText {
            guard let port = Int(portText), (1...65535).contains(port) else { return nil }
            self.port = port
        } else {
            self.port = self.secure ? 443 : 80
        }
    }
}
