import BridgeKernel

/// A misbehaviour the simulator injects into matching requests.
public struct Fault: Sendable, Hashable {
    /// What happens to a request the fault hits.
    public enum Action: Sendable, Hashable {
        /// 429 with the priority-and-fairness plain-text body and `Retry-After`.
        case throttle(retryAfterSeconds: Int)
        /// An HTTP error with a `Status` body (500 InternalError, 503 ServiceUnavailable, 409 Conflict, ...).
        case error(code: Int, retryAfterSeconds: Int?)
        /// The request is served after a delay.
        case delay(Duration)
        /// The connection is closed without an answer.
        case dropConnection
    }

    /// Which requests a fault applies to; empty fields match everything.
    public struct Match: Sendable, Hashable {
        /// HTTP methods (`GET`, `PUT`, ...).
        public var methods: Set<String>
        /// Resource plural names (`leases`).
        public var resources: Set<String>
        /// Object names.
        public var names: Set<String>
        /// Only watch requests (`true`), only non-watch requests (`false`) or both (`nil`).
        public var watch: Bool?
        /// Only requests whose `User-Agent` contains this text (empty: all), so one client can be cut off.
        public var userAgentContains: String

        /// Creates a matcher.
        public init(
            methods: Set<String> = [], resources: Set<String> = [], names: Set<String> = [], watch: Bool? = nil,
            userAgentContains: String = ""
        ) {
            self.methods = methods
            self.resources = resources
            self.names = names
            self.watch = watch
            self.userAgentContains = userAgentContains
        }
    }

    /// What happens.
    public var action: Action
    /// Which requests.
    public var match: Match
    /// How many hits before the fault is used up; `nil` = unlimited.
    public var count: Int?
    /// The share of matching requests hit, spread deterministically (0.5 = every second one).
    public var fraction: Double

    /// Creates a fault.
    public init(_ action: Action, match: Match = Match(), count: Int? = nil, fraction: Double = 1) {
        self.action = action
        self.match = match
        self.count = count
        self.fraction = min(max(fraction, 0), 1)
    }
}

extension Fault {
    /// The admin API form: `{"action":"throttle","retryAfterSeconds":2,"count":3,"fraction":0.5,
    /// "methods":["PUT"],"resources":["leases"],"names":["x"],"watch":false,"delayMilliseconds":200,"code":500,
    /// "userAgentContains":"replica-a"}`.
    init(json: JSONValue) throws(APIError) {
        let actionName = json["action"]?.stringValue ?? ""
        let action: Action
        switch actionName {
        case "throttle":
            action = .throttle(retryAfterSeconds: Int(json["retryAfterSeconds"]?.intValue ?? 1))
        case "error":
            action = .error(
                code: Int(json["code"]?.intValue ?? 500),
                retryAfterSeconds: json["retryAfterSeconds"]?.intValue.map(Int.init))
        case "delay":
            action = .delay(.milliseconds(json["delayMilliseconds"]?.intValue ?? 100))
        case "drop":
            action = .dropConnection
        default:
            throw APIError.badRequest(
                "unknown fault action \(KubeJSON.quote(actionName)): use throttle, error, delay or drop")
        }
        func strings(_ key: String) -> Set<String> { Set(json[key]?.arrayValue?.compactMap(\.stringValue) ?? []) }
        self.init(
            action,
            match: Match(
                methods: Set(strings("methods").map { $0.uppercased() }), resources: strings("resources"),
                names: strings("names"), watch: json["watch"]?.boolValue,
                userAgentContains: json["userAgentContains"]?.stringValue ?? ""),
            count: json["count"]?.intValue.map(Int.init),
            fraction: json["fraction"].flatMap { value -> Double? in
                if case .double(let number) = value { return number }
                return value.intValue.map(Double.init)
            } ?? 1)
    }

    /// The admin API form.
    var json: JSONValue {
        var members: [String: JSONValue] = ["fraction": .double(fraction)]
        switch action {
        case .throttle(let seconds):
            members["action"] = "throttle"
            members["retryAfterSeconds"] = .int(Int64(seconds))
        case .error(let code, let seconds):
            members["action"] = "error"
            members["code"] = .int(Int64(code))
            if let seconds { members["retryAfterSeconds"] = .int(Int64(seconds)) }
        case .delay(let duration):
            members["action"] = "delay"
            let (seconds, attoseconds) = duration.components
            members["delayMilliseconds"] = .int(seconds * 1000 + attoseconds / 1_000_000_000_000_000)
        case .dropConnection:
            members["action"] = "drop"
        }
        if let count { members["count"] = .int(Int64(count)) }
        if !match.methods.isEmpty { members["methods"] = .array(match.methods.sorted().map(JSONValue.string)) }
        if !match.resources.isEmpty { members["resources"] = .array(match.resources.sorted().map(JSONValue.string)) }
        if !match.names.isEmpty { members["names"] = .array(match.names.sorted().map(JSONValue.string)) }
        if let watch = match.watch { members["watch"] = .bool(watch) }
        if !match.userAgentContains.isEmpty { members["userAgentContains"] = .string(match.userAgentContains) }
        return .object(members)
    }
}
