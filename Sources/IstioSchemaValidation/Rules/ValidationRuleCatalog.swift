import BridgeKernel

/// Hand-written Swift implementations of every `x-kubernetes-validations` rule in the Istio ServiceEntry,
/// WorkloadEntry and DestinationRule CRDs (istio/api v1.30.3), keyed by the exact rule text.
///
/// There is deliberately no CEL interpreter: a CRD carrying a rule text missing here fails to load
/// (``CRDLoadingError/Code-swift.enum/unknownValidationRule``), so an Istio upgrade that adds or edits a rule is
/// noticed instead of silently skipped. To support a new rule, add its text and a closure with the same
/// meaning, and a test in `ValidationRuleCatalogTests`.
public enum ValidationRuleCatalog {
    /// The rule texts this catalog implements.
    public static var knownRules: [String] { implementations.keys.sorted() }

    static func implementation(for rule: String) -> RuleImplementation? {
        implementations[rule]
    }

    /// Port name pattern `^[a-zA-Z0-9](?:[-a-zA-Z0-9]*[a-zA-Z0-9])?$` (ASCII only).
    private static func isPortName(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        func isAlphanumeric(_ byte: UInt8) -> Bool {
            (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
                || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
                || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
        }
        guard let first = bytes.first, let last = bytes.last, isAlphanumeric(first), isAlphanumeric(last) else {
            return false
        }
        return bytes.allSatisfy { isAlphanumeric($0) || $0 == UInt8(ascii: "-") }
    }

    private static let oneMillisecond: Int64 = 1_000_000

    private static let implementations: [String: RuleImplementation] = [
        // MARK: WorkloadEntry spec / ServiceEntry endpoints[]
        #"self.startsWith("unix://") ? (self.substring(7, 8) == "/" || self.substring(7, 8) == "@") : true"#:
            RuleImplementation(selfTypes: [.string]) { value in
                guard let text = CEL.string(value) else { return .evaluationError(CEL.noSuchOverload) }
                guard GoString.hasPrefix(text, "unix://") else { return .satisfied }
                // Both operands of `||` are the same call, so an error on one is an error on both.
                switch CEL.substring(text, 7, 8) {
                case .success(let character): return CEL.outcome(character == "/" || character == "@")
                case .failure(let failure): return .evaluationError(failure.text)
                }
            },
        #"self.startsWith("unix://") ? !self.endsWith("/") : true"#:
            RuleImplementation(selfTypes: [.string]) { value in
                guard let text = CEL.string(value) else { return .evaluationError(CEL.noSuchOverload) }
                return CEL.outcome(!GoString.hasPrefix(text, "unix://") || !GoString.hasSuffix(text, "/"))
            },
        #"0 < self && self <= 65535"#:
            RuleImplementation(selfTypes: [.integer]) { value in
                guard let number = CEL.number(value) else { return .evaluationError(CEL.noSuchOverload) }
                return CEL.outcome(0 < number && number <= 65535)
            },
        #"self.all(key, size(key) < 63 && key.matches("^[a-zA-Z0-9](?:[-a-zA-Z0-9]*[a-zA-Z0-9])?$"))"#:
            RuleImplementation(selfTypes: [.object]) { value in
                guard let members = value.objectValue else { return .evaluationError(CEL.noSuchOverload) }
                return CEL.all(members.keys) { key in
                    CEL.outcome(GoString.codePointCount(key) < 63 && isPortName(key))
                }
            },
        #"has(self.address) || has(self.network)"#:
            RuleImplementation(selfTypes: [.object]) { value in
                CEL.outcome(CEL.has(value, "address") || CEL.has(value, "network"))
            },
        #"(has(self.address) ? self.address : "").startsWith("unix://") ? !has(self.ports) : true"#:
            RuleImplementation(selfTypes: [.object]) { value in
                let address = CEL.has(value, "address") ? value["address"]! : ""
                guard let text = CEL.string(address) else { return .evaluationError(CEL.noSuchOverload) }
                return CEL.outcome(!GoString.hasPrefix(text, "unix://") || !CEL.has(value, "ports"))
            },

        // MARK: ServiceEntry
        #"self != "*""#:
            RuleImplementation(selfTypes: [.string]) { value in
                guard let text = CEL.string(value) else { return .evaluationError(CEL.noSuchOverload) }
                return CEL.outcome(!GoString.equal(text, "*"))
            },
        #"self.all(l1, self.exists_one(l2, l1.number == l2.number))"#:
            RuleImplementation(selfTypes: [.array]) { value in
                guard let ports = value.arrayValue else { return .evaluationError(CEL.noSuchOverload) }
                return CEL.all(ports) { first in
                    CEL.existsOne(ports) { second in
                        guard let left = first["number"] else { return .evaluationError("no such key: number") }
                        guard let right = second["number"] else { return .evaluationError("no such key: number") }
                        guard let equal = CEL.numbersEqual(left, right) else {
                            return .evaluationError(CEL.noSuchOverload)
                        }
                        return CEL.outcome(equal)
                    }
                }
            },
        #"!self.contains("*")"#:
            RuleImplementation(selfTypes: [.string]) { value in
                guard let text = CEL.string(value) else { return .evaluationError(CEL.noSuchOverload) }
                return CEL.outcome(!GoString.contains(text, "*"))
            },
        #"(has(self.workloadSelector) ? 1 : 0) + (has(self.endpoints) ? 1 : 0) <= 1"#:
            RuleImplementation(selfTypes: [.object]) { value in
                let count = (CEL.has(value, "workloadSelector") ? 1 : 0) + (CEL.has(value, "endpoints") ? 1 : 0)
                return CEL.outcome(count <= 1)
            },
        #"!((has(self.addresses) ? self.addresses : []).exists(k, k.contains("/")) && !((has(self.resolution) ? self.resolution : "NONE") in ["STATIC", "NONE"]))"#:
            RuleImplementation(selfTypes: [.object]) { value in
                let addresses = CEL.has(value, "addresses") ? value["addresses"]! : []
                guard let list = addresses.arrayValue else { return .evaluationError(CEL.noSuchOverload) }
                let hasCIDR = CEL.exists(list) { address in
                    guard let text = CEL.string(address) else { return .evaluationError(CEL.noSuchOverload) }
                    return CEL.outcome(GoString.contains(text, "/"))
                }
                let resolution = CEL.has(value, "resolution") ? value["resolution"]! : "NONE"
                guard let mode = CEL.string(resolution) else { return .evaluationError(CEL.noSuchOverload) }
                let allowsCIDR = GoString.equal(mode, "STATIC") || GoString.equal(mode, "NONE")
                // `!(A && !B)`: a false right operand decides `&&` even when A failed.
                switch hasCIDR {
                case .satisfied: return CEL.outcome(allowsCIDR)
                case .violated: return .satisfied
                case .evaluationError: return allowsCIDR ? .satisfied : hasCIDR
                }
            },
        #"((has(self.resolution) ? self.resolution : "NONE") == "NONE") ? !has(self.endpoints) : true"#:
            RuleImplementation(selfTypes: [.object]) { value in
                let resolution = CEL.has(value, "resolution") ? value["resolution"]! : "NONE"
                guard let mode = CEL.string(resolution) else { return .evaluationError(CEL.noSuchOverload) }
                return CEL.outcome(!GoString.equal(mode, "NONE") || !CEL.has(value, "endpoints"))
            },
        #"((has(self.resolution) ? self.resolution : "") == "DNS_ROUND_ROBIN") ? ((has(self.endpoints) ? self.endpoints : []).size() <= 1) : true"#:
            RuleImplementation(selfTypes: [.object]) { value in
                let resolution = CEL.has(value, "resolution") ? value["resolution"]! : ""
                guard let mode = CEL.string(resolution) else { return .evaluationError(CEL.noSuchOverload) }
                guard GoString.equal(mode, "DNS_ROUND_ROBIN") else { return .satisfied }
                let endpoints = CEL.has(value, "endpoints") ? value["endpoints"]! : []
                guard let list = endpoints.arrayValue else { return .evaluationError(CEL.noSuchOverload) }
                return CEL.outcome(list.count <= 1)
            },

        // MARK: DestinationRule
        #"duration(self) >= duration('1ms')"#:
            RuleImplementation(selfTypes: [.string]) { value in
                guard let text = CEL.string(value) else { return .evaluationError(CEL.noSuchOverload) }
                guard let nanoseconds = GoDuration.parse(text) else {
                    return .evaluationError("type conversion error from 'string' to 'google.protobuf.Duration'")
                }
                return CEL.outcome(nanoseconds >= oneMillisecond)
            },
        #"self.all(key, !key.contains("*"))"#:
            RuleImplementation(selfTypes: [.object]) { value in
                guard let members = value.objectValue else { return .evaluationError(CEL.noSuchOverload) }
                return CEL.all(members.keys) { CEL.outcome(!GoString.contains($0, "*")) }
            },
        #"self.all(key, key.size() != 0)"#:
            RuleImplementation(selfTypes: [.object]) { value in
                guard let members = value.objectValue else { return .evaluationError(CEL.noSuchOverload) }
                return CEL.all(members.keys) { CEL.outcome(GoString.codePointCount($0) != 0) }
            },
    ]
}
