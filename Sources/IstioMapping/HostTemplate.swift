import BridgeKernel

/// A host-name template such as `{service}.{app}.{env}.svc`.
///
/// Placeholders: `{service}`, `{app}`, `{env}`, `{domain}`, `{source}`, `{namespace}`. Each value is made a DNS
/// label (lower case, invalid characters → `-`); a placeholder with an empty value disappears together with the
/// dot that follows it, so `{service}.{app}.{env}.svc` gives `orders.shop.svc` for a service without environment.
public struct HostTemplate: Hashable, Sendable, CustomStringConvertible {
    /// The placeholders a template may use.
    public static let placeholders = ["service", "app", "env", "domain", "source", "namespace"]

    /// The template text.
    public let template: String

    /// Checks a template: every placeholder must be known and closed.
    public static func parse(_ template: String) -> Result<HostTemplate, HostTemplateError> {
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{") {
            guard let close = rest[open...].firstIndex(of: "}") else {
                return .failure(HostTemplateError(template: template, reason: "unclosed \"{\""))
            }
            let name = String(rest[rest.index(after: open)..<close])
            guard placeholders.contains(name) else {
                return .failure(
                    HostTemplateError(
                        template: template,
                        reason:
                            "unknown placeholder {\(name)}; known: \(placeholders.map { "{\($0)}" }.joined(separator: ", "))"
                    ))
            }
            rest = rest[rest.index(after: close)...]
        }
        return .success(HostTemplate(template: template))
    }

    private init(template: String) {
        self.template = template
    }

    /// Expands the template for a service.
    public func expand(_ key: ServiceKey, namespace: String) -> String {
        func placeholderValue(_ placeholder: Substring) -> String {
            switch placeholder {
            case "service": return key.name
            case "app": return key.app
            case "env": return key.environment
            case "domain": return key.domain
            case "source": return key.source
            case "namespace": return namespace
            default: return ""
            }
        }
        if template.utf8.allSatisfy({ $0 < 0x80 }) {
            return expandASCII(placeholderValue)
        }
        var output = ""
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            output += rest[..<open]
            let value = placeholderValue(rest[rest.index(after: open)..<close])
            rest = rest[rest.index(after: close)...]
            if value.isEmpty {
                if rest.hasPrefix(".") { rest = rest.dropFirst() } else if output.hasSuffix(".") { output.removeLast() }
            } else {
                output += KubernetesNames.dnsLabel(value).label
            }
        }
        output += rest
        return output
    }

    /// `expand` for an ASCII template (all real ones), on bytes: for ASCII, bytes and characters agree, and the
    /// renderer expands every template for every service.
    private func expandASCII(_ placeholderValue: (Substring) -> String) -> String {
        let bytes = Array(template.utf8)
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count + 64)
        var index = 0
        while let open = bytes[index...].firstIndex(of: UInt8(ascii: "{")),
            let close = bytes[open...].firstIndex(of: UInt8(ascii: "}"))
        {
            output += bytes[index..<open]
            let name = Substring(decoding: bytes[(open + 1)..<close], as: UTF8.self)
            let value = placeholderValue(name)
            index = close + 1
            if value.isEmpty {
                if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
                    index += 1
                } else if output.last == UInt8(ascii: ".") {
                    output.removeLast()
                }
            } else {
                output += KubernetesNames.dnsLabel(value).label.utf8
            }
        }
        output += bytes[index...]
        return String(decoding: output, as: UTF8.self)
    }

    public var description: String { template }
}

/// A host template that cannot be used.
public struct HostTemplateError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The template.
    public var template: String
    /// Why.
    public var reason: String

    public var description: String { "host template \"\(template)\": \(reason)" }
}
