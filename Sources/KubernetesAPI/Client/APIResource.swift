import Foundation

/// A namespaced Kubernetes resource type: its group, version, plural name and kind, and its REST paths.
public struct APIResource: Sendable, Hashable, CustomStringConvertible {
    /// The API group (`networking.istio.io`; empty for the core group).
    public var group: String
    /// The version (`v1`).
    public var version: String
    /// The plural resource name used in URLs (`serviceentries`).
    public var plural: String
    /// The kind (`ServiceEntry`).
    public var kind: String

    /// Creates a resource type.
    public init(group: String, version: String, plural: String, kind: String) {
        self.group = group
        self.version = version
        self.plural = plural
        self.kind = kind
    }

    /// `group/version` (or `version` for the core group).
    public var apiVersion: String { group.isEmpty ? version : "\(group)/\(version)" }

    /// The collection path in `namespace`, e.g. `/apis/networking.istio.io/v1/namespaces/ns/serviceentries`.
    public func collectionPath(namespace: String) -> String {
        let prefix = group.isEmpty ? "/api/\(version)" : "/apis/\(group)/\(version)"
        return "\(prefix)/namespaces/\(Self.escape(namespace))/\(plural)"
    }

    /// The path of one object.
    public func objectPath(namespace: String, name: String) -> String {
        "\(collectionPath(namespace: namespace))/\(Self.escape(name))"
    }

    public var description: String { "\(plural).\(group)/\(version)" }

    /// Istio `ServiceEntry` in `version`.
    public static func serviceEntries(version: String = "v1") -> APIResource {
        APIResource(group: "networking.istio.io", version: version, plural: "serviceentries", kind: "ServiceEntry")
    }

    /// Istio `WorkloadEntry` in `version`.
    public static func workloadEntries(version: String = "v1") -> APIResource {
        APIResource(group: "networking.istio.io", version: version, plural: "workloadentries", kind: "WorkloadEntry")
    }

    /// Istio `DestinationRule` in `version`.
    public static func destinationRules(version: String = "v1") -> APIResource {
        APIResource(group: "networking.istio.io", version: version, plural: "destinationrules", kind: "DestinationRule")
    }

    /// `coordination.k8s.io/v1` `Lease`.
    public static let leases = APIResource(group: "coordination.k8s.io", version: "v1", plural: "leases", kind: "Lease")

    /// The resource for an object's `apiVersion` and `kind`, for the kinds the bridge writes.
    public static func forObject(apiVersion: String, kind: String) -> APIResource? {
        let parts = apiVersion.split(separator: "/", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { return nil }
        let plural: String
        switch kind {
        case "ServiceEntry": plural = "serviceentries"
        case "WorkloadEntry": plural = "workloadentries"
        case "DestinationRule": plural = "destinationrules"
        case "Lease": plural = "leases"
        default: return nil
        }
        return APIResource(group: parts[0], version: parts[1], plural: plural, kind: kind)
    }

    /// Names and namespaces are DNS labels/subdomains, but escape anything else rather than build a bad URL.
    static func escape(_ segment: String) -> String {
        // Names almost always need nothing; Foundation's encoding (and building its character set) cost a few
        // per cent of the bridge's CPU at a thousand writes a second.
        if isUnreserved(segment) { return segment }
        return segment.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(["/"])) ?? segment
    }

    /// Whether `text` consists of RFC 3986 unreserved characters only (letters, digits, `-._~`), which no part
    /// of a URL needs escaped.
    static func isUnreserved(_ text: String) -> Bool {
        text.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"):
                return true
            default:
                return false
            }
        }
    }
}
