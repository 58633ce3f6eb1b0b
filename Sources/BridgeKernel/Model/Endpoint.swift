/// An address an instance serves on: `scheme://host:port[/path][?query]`, the form Service Center registers.
public struct Endpoint: Hashable, Sendable, CustomStringConvertible {
    /// The registry scheme, lower case (`rest`, `highway`, `grpc`, …).
    public var scheme: String
    /// An IPv4 address, an IPv6 address (without brackets) or a host name.
    public var host: String
    /// The port, 1–65535.
    public var port: Int
    /// Whether the endpoint speaks TLS (`?sslEnabled=true`, or a TLS scheme such as `https`).
    public var tls: Bool
    /// Query parameters other than `sslEnabled`, verbatim.
    public var parameters: [String: String]

    /// Creates an endpoint from its parts.
    public init(scheme: String, host: String, port: Int, tls: Bool = false, parameters: [String: String] = [:]) {
        self.scheme = scheme.lowercased()
        self.host = host
        self.port = port
        self.tls = tls
        self.parameters = parameters
    }

    /// Whether `host` is a literal IP address rather than a name the mesh must resolve.
    public var hostIsIPAddress: Bool { IPAddressSyntax.isIPv4(host) || IPAddressSyntax.isIPv6(host) }

    /// The endpoint written back in registry form.
    public var description: String {
        let hostPart = IPAddressSyntax.isIPv6(host) ? "[\(host)]" : host
        return "\(scheme)://\(hostPart):\(port)\(tls ? "?sslEnabled=true" : "")"
    }

    /// Parses a registry endpoint string.
    ///
    /// - Throws: ``EndpointParseError`` saying what is wrong with the text.
    public static func parse(_ text: String) throws(EndpointParseError) -> Endpoint {
        func fail(_ code: EndpointParseError.Code) -> EndpointParseError { EndpointParseError(code: code, text: text) }
        // The standard library search, not Foundation's (which bridges through NSString on every call).
        guard let schemeEnd = text.firstRange(of: "://") else { throw fail(.missingScheme) }
        let scheme = String(text[..<schemeEnd.lowerBound]).lowercased()
        guard !scheme.isEmpty, scheme.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "+" || $0 == "-" || $0 == "." }),
            scheme.first!.isLetter
        else { throw fail(.invalidScheme) }
        var rest = text[schemeEnd.upperBound...]
        var query = Substring("")
        if let questionMark = rest.firstIndex(of: "?") {
            query = rest[rest.index(after: questionMark)...]
            rest = rest[..<questionMark]
        }
        if let slash = rest.firstIndex(of: "/") { rest = rest[..<slash] }
        if let at = rest.lastIndex(of: "@") { rest = rest[rest.index(after: at)...] }

        let host: String
        let portText: Substring
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]") else { throw fail(.invalidHost) }
            host = String(rest[rest.index(after: rest.startIndex)..<close])
            guard IPAddressSyntax.isIPv6(host) else { throw fail(.invalidHost) }
            let afterBracket = rest[rest.index(after: close)...]
            guard afterBracket.hasPrefix(":") else { throw fail(.missingPort) }
            portText = afterBracket.dropFirst()
        } else {
            guard let colon = rest.lastIndex(of: ":") else { throw fail(.missingPort) }
            host = String(rest[..<colon])
            portText = rest[rest.index(after: colon)...]
            guard HostNameSyntax.isValidHost(host) else { throw fail(.invalidHost) }
        }
        guard !portText.isEmpty, portText.allSatisfy(\.isASCII), let port = Int(portText) else {
            throw fail(.missingPort)
        }
        guard (1...65535).contains(port) else { throw fail(.portOutOfRange) }

        var parameters: [String: String] = [:]
        var tls = ["https", "wss", "tls", "grpcs", "h2"].contains(scheme)
        for pair in query.split(separator: "&") where !pair.isEmpty {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = String(parts[0])
            let value = parts.count > 1 ? String(parts[1]) : ""
            if key.lowercased() == "sslenabled" {
                tls = value.lowercased() == "true"
            } else {
                parameters[key] = value
            }
        }
        return Endpoint(scheme: scheme, host: host, port: port, tls: tls, parameters: parameters)
    }
}

/// Why an endpoint string could not be used.
public struct EndpointParseError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What is wrong.
    public enum Code: String, Sendable, Hashable {
        case missingScheme = "missing scheme"
        case invalidScheme = "invalid scheme"
        case invalidHost = "invalid host"
        case missingPort = "missing or non-numeric port"
        case portOutOfRange = "port out of range 1-65535"
    }

    /// What is wrong.
    public var code: Code
    /// The endpoint text as the registry sent it.
    public var text: String

    /// Creates an error.
    public init(code: Code, text: String) {
        self.code = code
        self.text = text
    }

    public var description: String { "endpoint \"\(text)\": \(code.rawValue)" }
}
