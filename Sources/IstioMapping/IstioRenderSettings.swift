import BridgeKernel

/// The `render:` section: how registry services become Istio objects.
public struct IstioRenderSettings: Hashable, Sendable {
    /// Where instances go.
    public enum Mode: String, Hashable, Sendable, CaseIterable {
        /// One WorkloadEntry per instance, selected by the ServiceEntry's `workloadSelector` (default).
        case workloadentry
        /// Instances as `spec.endpoints` inside the ServiceEntry.
        case inline
    }

    /// Namespace of every object. Default `istio-system`.
    public var namespace = "istio-system"
    /// Where instances go. Default ``Mode/workloadentry``.
    public var mode = Mode.workloadentry
    /// Host templates. Default `{service}.{app}.{env}.svc`.
    public var hosts: [HostTemplate] = [try! HostTemplate.parse("{service}.{app}.{env}.svc").get()]
    /// `spec.exportTo`; omitted when empty (visible to every namespace).
    public var exportTo: [String] = []
    /// Instance statuses that are routed. Default `UP` only.
    public var routeStatuses: Set<InstanceStatus> = [.up]
    /// Scheme → protocol.
    public var protocols = ProtocolMapping()
    /// `apiVersion` of the objects. Default `networking.istio.io/v1` (Istio ≥ 1.22).
    public var apiVersion = "networking.istio.io/v1"
    /// Labels added to every object (ownership labels always win).
    public var extraLabels: [String: String] = [:]
    /// Above this many routed instances, inline mode falls back to WorkloadEntries for that service. The CRD
    /// allows 4096 endpoints.
    public var inlineEndpointLimit = 4096

    /// Creates the default settings.
    public init() {}

    /// Config keys of the `render:` section.
    public static let configKeys: Set<String> = [
        "namespace", "mode", "hosts", "exportTo", "routeStatuses", "protocols", "defaultProtocol", "apiVersion",
        "labels", "inlineEndpointLimit",
    ]

    /// Reads the `render:` section.
    public static func decode(_ config: ConfigMapping) -> IstioRenderSettings? {
        var settings = IstioRenderSettings()
        var ok = true
        func read<T>(_ key: String, _ decode: (ConfigNode) -> T?, _ assign: (T) -> Void) {
            guard let node = config[key] else { return }
            if let value = decode(node) { assign(value) } else { ok = false }
        }
        read(
            "namespace",
            { node in
                guard let value = node.nonEmptyString() else { return nil }
                guard KubernetesNames.isDNSLabel(value) else {
                    node.fail(.invalidValue, "\"\(value)\" is not a valid namespace name (lower-case DNS label)")
                    return nil
                }
                return value
            }
        ) { settings.namespace = $0 }
        read("mode", { $0.oneOf(Mode.allCases.map(\.rawValue)).flatMap(Mode.init(rawValue:)) }) { settings.mode = $0 }
        read(
            "hosts",
            { node -> [HostTemplate]? in
                guard let list = node.list() else { return nil }
                guard !list.isEmpty else {
                    node.fail(.invalidValue, "at least one host template is required")
                    return nil
                }
                let templates = list.compactMap { element -> HostTemplate? in
                    guard let text = element.nonEmptyString() else { return nil }
                    switch HostTemplate.parse(text) {
                    case .success(let template): return template
                    case .failure(let error):
                        element.fail(.invalidValue, error.reason)
                        return nil
                    }
                }
                return templates.count == list.count ? templates : nil
            }
        ) { settings.hosts = $0 }
        read(
            "exportTo",
            { node -> [String]? in
                guard let list = node.stringList() else { return nil }
                for (index, entry) in list.enumerated() {
                    let valid = [".", "*", "~"].contains(entry) || KubernetesNames.isDNSLabel(entry)
                    if !valid || list[..<index].contains(entry) {
                        node.fail(
                            .invalidValue,
                            valid
                                ? "\"\(entry)\" is listed twice"
                                : "\"\(entry)\" is not \".\", \"*\", \"~\" or a namespace name")
                        return nil
                    }
                }
                if list.count > 1, let lone = list.first(where: { $0 == "*" || $0 == "~" }) {
                    node.fail(.invalidValue, "\"\(lone)\" must be the only entry")
                    return nil
                }
                return list
            }
        ) { settings.exportTo = $0 }
        read(
            "routeStatuses",
            { node -> Set<InstanceStatus>? in
                guard let list = node.list() else { return nil }
                let statuses = list.compactMap { element -> InstanceStatus? in
                    element.oneOf(InstanceStatus.allCases.map(\.rawValue)).flatMap(InstanceStatus.init(rawValue:))
                }
                return statuses.count == list.count ? Set(statuses) : nil
            }
        ) { settings.routeStatuses = $0 }
        var overrides: [String: String] = [:]
        var defaultProtocol = "TCP"
        read(
            "protocols",
            { node -> [String: String]? in
                guard let map = node.stringMap() else { return nil }
                for (scheme, proto) in map where !ProtocolMapping.istioProtocols.contains(proto.uppercased()) {
                    node.fail(
                        .invalidValue,
                        "scheme \"\(scheme)\": \"\(proto)\" is not an Istio protocol (\(ProtocolMapping.istioProtocols.joined(separator: ", ")))"
                    )
                    return nil
                }
                return map
            }
        ) { overrides = $0 }
        read("defaultProtocol", { $0.oneOf(ProtocolMapping.istioProtocols) }) { defaultProtocol = $0 }
        settings.protocols = ProtocolMapping(overrides: overrides, defaultProtocol: defaultProtocol)
        read(
            "apiVersion",
            {
                $0.oneOf(["networking.istio.io/v1", "networking.istio.io/v1beta1", "networking.istio.io/v1alpha3"])
            }
        ) { settings.apiVersion = $0 }
        read(
            "labels",
            { node -> [String: String]? in
                guard let map = node.stringMap() else { return nil }
                for (key, value) in map.sorted(by: { $0.key < $1.key }) {
                    if !KubernetesNames.isLabelKey(key) {
                        node.fail(.invalidValue, "\"\(key)\" is not a valid label key")
                        return nil
                    }
                    if !KubernetesNames.isLabelValue(value) {
                        node.fail(.invalidValue, "label \(key): \"\(value)\" is not a valid label value")
                        return nil
                    }
                }
                return map
            }
        ) { settings.extraLabels = $0 }
        read("inlineEndpointLimit", { $0.int(in: 1...4096) }) { settings.inlineEndpointLimit = $0 }
        return ok ? settings : nil
    }
}
