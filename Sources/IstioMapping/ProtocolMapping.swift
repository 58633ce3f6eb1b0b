/// How registry endpoint schemes become Istio port protocols.
///
/// Defaults (documented in the README): `rest`/`http` → HTTP, `https` → HTTPS, `grpc` → GRPC, `http2`/`h2c` →
/// HTTP2, `tcp`/`highway` → TCP, `tls` → TLS, `udp` → UDP, `mongo`/`mongodb` → MONGO, `redis` → REDIS, `mysql` →
/// MYSQL; any other scheme → ``defaultProtocol`` (TCP, which carries any traffic, unlike HTTP). An endpoint
/// marked TLS (`?sslEnabled=true`) upgrades HTTP to HTTPS and any other non-TLS protocol to TLS.
public struct ProtocolMapping: Hashable, Sendable {
    /// The protocols Istio accepts on a ServiceEntry port.
    public static let istioProtocols: [String] = [
        "HTTP", "HTTPS", "GRPC", "GRPC-WEB", "HTTP2", "HTTP_PROXY", "TCP", "TLS", "UDP", "MONGO", "REDIS", "MYSQL",
    ]

    /// The built-in scheme table.
    public static let defaultSchemes: [String: String] = [
        "rest": "HTTP", "http": "HTTP", "https": "HTTPS", "grpc": "GRPC", "grpcs": "GRPC", "http2": "HTTP2",
        "h2c": "HTTP2", "h2": "HTTP2", "tcp": "TCP", "highway": "TCP", "tls": "TLS", "udp": "UDP", "mongo": "MONGO",
        "mongodb": "MONGO", "redis": "REDIS", "mysql": "MYSQL",
    ]

    /// Scheme (lower case) → protocol.
    public var schemes: [String: String]
    /// The protocol for schemes the table does not name.
    public var defaultProtocol: String

    /// Creates a mapping: the built-in table with `overrides` on top.
    public init(overrides: [String: String] = [:], defaultProtocol: String = "TCP") {
        var schemes = Self.defaultSchemes
        for (scheme, proto) in overrides { schemes[scheme.lowercased()] = proto.uppercased() }
        self.schemes = schemes
        self.defaultProtocol = defaultProtocol.uppercased()
    }

    /// The Istio protocol for an endpoint.
    public func istioProtocol(scheme: String, tls: Bool) -> String {
        // Schemes are normally lower-case ASCII already (`Endpoint` lower-cases them); skip the copy then.
        let needsLowercasing = scheme.utf8.contains {
            (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) || $0 >= 0x80
        }
        let base = schemes[needsLowercasing ? scheme.lowercased() : scheme] ?? defaultProtocol
        guard tls else { return base }
        switch base {
        case "HTTP": return "HTTPS"
        case "HTTPS", "TLS": return base
        default: return "TLS"
        }
    }

    /// The port name for a protocol and number: the protocol in lower case (`_` → `-`), a dash, the number.
    /// `http-8080`, `grpc-web-9090`.
    public static func portName(protocol proto: String, number: Int) -> String {
        guard proto.utf8.allSatisfy({ $0 < 0x80 }) else {
            return proto.lowercased().replacingOccurrences(of: "_", with: "-") + "-\(number)"
        }
        // ASCII (every real protocol name): map the bytes; Foundation's replacing was a visible cost per service.
        var bytes = proto.utf8.map { byte -> UInt8 in
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): return byte + 0x20
            case UInt8(ascii: "_"): return UInt8(ascii: "-")
            default: return byte
            }
        }
        bytes.append(UInt8(ascii: "-"))
        bytes += String(number).utf8
        return String(decoding: bytes, as: UTF8.self)
    }
}
