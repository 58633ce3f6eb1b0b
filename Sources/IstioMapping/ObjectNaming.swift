import BridgeKernel

/// Names of the objects the bridge writes: readable, valid, deterministic and collision-free.
///
/// A ServiceEntry is named `<service>.<app>[.<environment>]` with each part made a DNS label. When that loses
/// information (upper case, `_`, `.`, an empty app, a non-default domain, or a name over 63 characters), a hash of
/// the full service identity is appended (`order-svc.shop-1a2b3c4d`), so services that differ only in case or `_`
/// never share an object. Names stay within 63 characters so they also fit label values (the WorkloadEntry
/// selector uses the name). WorkloadEntries are named `<serviceEntryName>.<instance id>` by the same rules.
public enum ObjectNaming {
    static let maxNameLength = 63
    static let hashedPrefixLength = 54  // 63 - "-" - 8 hex digits

    /// The ServiceEntry (and object group) name for a service.
    public static func serviceEntryName(for key: ServiceKey) -> String {
        var lossy = false
        var labels: [String] = []
        for component in [key.name, key.app, key.environment] {
            if component.isEmpty {
                // Only the environment may be absent without ambiguity (the label count tells).
                if component != key.environment { lossy = true }
                continue
            }
            let (label, componentLossy) = KubernetesNames.dnsLabel(component)
            labels.append(label)
            lossy = lossy || componentLossy
        }
        if !["default", "default/default", ""].contains(key.domain) { lossy = true }
        let readable = labels.joined(separator: ".")
        guard lossy || readable.utf8.count > maxNameLength else { return readable }
        let hash = KubernetesNames.shortHash([key.domain, key.environment, key.app, key.name])
        return trimmed(readable, to: hashedPrefixLength) + "-" + hash
    }

    /// The WorkloadEntry name for an instance of the service whose ServiceEntry is `serviceEntryName`.
    public static func workloadEntryName(serviceEntryName: String, instanceID: String) -> String {
        let (label, lossy) = KubernetesNames.dnsLabel(instanceID)
        let instancePart =
            lossy ? trimmed(label, to: hashedPrefixLength) + "-" + KubernetesNames.shortHash([instanceID]) : label
        var name = ""
        name.reserveCapacity(serviceEntryName.utf8.count + 1 + instancePart.utf8.count)
        name += serviceEntryName
        name += "."
        name += instancePart
        return name
    }

    private static func trimmed(_ text: String, to length: Int) -> String {
        var bytes = Array(text.utf8.prefix(length))
        while let last = bytes.last, last == UInt8(ascii: "-") || last == UInt8(ascii: ".") { bytes.removeLast() }
        return bytes.isEmpty ? "x" : String(decoding: bytes, as: UTF8.self)
    }
}
