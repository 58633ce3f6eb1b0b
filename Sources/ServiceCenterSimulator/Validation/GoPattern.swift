/// One of Service Center's validation regular expressions, implemented as a character-level check with RE2 (Go)
/// semantics, plus its source text for error messages.
///
/// Hand-written matchers avoid the differences between Go's RE2 and ICU (`$` before a trailing newline, `\S`
/// covering Unicode spaces) that a `Regex` translation would introduce.
struct GoPattern: Sendable {
    /// What Go prints for the pattern in a validation error.
    let source: String
    let matches: @Sendable (String) -> Bool

    private static func isAlnum(_ c: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(c) || ("A"..."Z").contains(c) || ("0"..."9").contains(c)
    }

    /// Go's `\s` is `[\t\n\f\r ]`.
    private static func isGoSpace(_ c: Unicode.Scalar) -> Bool {
        c == " " || c == "\t" || c == "\n" || c == "\u{0C}" || c == "\r"
    }

    /// `^[a-zA-Z0-9]*$|^[a-zA-Z0-9]<middle>*[a-zA-Z0-9]$`.
    private static func alnumEdged(_ value: String, middle: @Sendable (Unicode.Scalar) -> Bool) -> Bool {
        let scalars = Array(value.unicodeScalars)
        if scalars.allSatisfy(isAlnum) { return true }
        guard scalars.count >= 2, isAlnum(scalars.first!), isAlnum(scalars.last!) else { return false }
        return scalars.dropFirst().dropLast().allSatisfy(middle)
    }

    private static func concatenation(of words: [String], _ value: String) -> Bool {
        // `^(a|b|c)*$`: the value splits into a sequence of the words.
        var reachable = Set([value.startIndex])
        var frontier = [value.startIndex]
        while let index = frontier.popLast() {
            if index == value.endIndex { return true }
            for word in words where value[index...].hasPrefix(word) {
                let next = value.index(index, offsetBy: word.count)
                if reachable.insert(next).inserted { frontier.append(next) }
            }
        }
        return value.isEmpty
    }

    static let name = GoPattern(source: #"^[a-zA-Z0-9]*$|^[a-zA-Z0-9][a-zA-Z0-9_\-.]*[a-zA-Z0-9]$"#) {
        alnumEdged($0) { isAlnum($0) || $0 == "_" || $0 == "-" || $0 == "." }
    }

    static let serviceNameForFind = GoPattern(
        source: #"^[a-zA-Z0-9]*$|^[a-zA-Z0-9][a-zA-Z0-9_\-.:]*[a-zA-Z0-9]$"#
    ) {
        alnumEdged($0) { isAlnum($0) || $0 == "_" || $0 == "-" || $0 == "." || $0 == ":" }
    }

    /// `^\d+(\.\d+){0,3}$` where every part fits a signed 16-bit integer (`VersionToInt64`).
    static let version = GoPattern(source: "the form x[.y[.z]] where x y and z are 0-32767 range") { value in
        if value.isEmpty { return true }
        let parts = value.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...4).contains(parts.count) else { return false }
        return parts.allSatisfy { part in
            !part.isEmpty && part.unicodeScalars.allSatisfy { ("0"..."9").contains($0) } && Int16(part) != nil
        }
    }

    static let level = GoPattern(source: "^(FRONT|MIDDLE|BACK)$") { ["FRONT", "MIDDLE", "BACK"].contains($0) }

    static let serviceStatus = GoPattern(source: "^(UP|DOWN)?$") { ["", "UP", "DOWN"].contains($0) }

    static let nonSpace = GoPattern(source: #"^\S*$"#) { !$0.unicodeScalars.contains(where: isGoSpace) }

    static let alias = GoPattern(source: #"^[a-zA-Z0-9_\-.:]*$"#) {
        $0.unicodeScalars.allSatisfy { isAlnum($0) || "_-.:".unicodeScalars.contains($0) }
    }

    static let registerBy = GoPattern(source: "^(SDK|SIDECAR|PLATFORM)*$") {
        concatenation(of: ["SDK", "SIDECAR", "PLATFORM"], $0)
    }

    static let environment = GoPattern(source: "^(development|testing|acceptance|production)*$") {
        concatenation(of: ["development", "testing", "acceptance", "production"], $0)
    }

    static let schemaId = GoPattern(
        source: #"^[a-zA-Z0-9]{1,160}$|^[a-zA-Z0-9][a-zA-Z0-9_\-.]{0,158}[a-zA-Z0-9]$"#
    ) { value in
        let count = value.unicodeScalars.count
        if (1...160).contains(count), value.unicodeScalars.allSatisfy(isAlnum) { return true }
        guard (2...160).contains(count) else { return false }
        return alnumEdged(value) { isAlnum($0) || $0 == "_" || $0 == "-" || $0 == "." }
    }

    static let servicePath = GoPattern(source: #"^[A-Za-z0-9.,?'\\/+&amp;%$#=~_\-@{}]*$"#) {
        $0.unicodeScalars.allSatisfy { isAlnum($0) || ".,?'\\/+&amp;%$#=~_-@{}".unicodeScalars.contains($0) }
    }

    static let instanceStatus = GoPattern(source: "^(UP|DOWN|STARTING|TESTING|OUTOFSERVICE)?$") {
        ["", "UP", "DOWN", "STARTING", "TESTING", "OUTOFSERVICE"].contains($0)
    }

    static let instanceStatusUpdate = GoPattern(source: "^(UP|DOWN|STARTING|TESTING|OUTOFSERVICE)$") {
        ["UP", "DOWN", "STARTING", "TESTING", "OUTOFSERVICE"].contains($0)
    }

    static let healthCheckMode = GoPattern(source: "^(push|pull)$") { $0 == "push" || $0 == "pull" }

    /// `\S+` unanchored: any non-space character somewhere.
    static let endpoint = GoPattern(source: #"\S+"#) { $0.unicodeScalars.contains(where: { !isGoSpace($0) }) }

    static let simpleNameAllowEmpty = GoPattern(source: "^[A-Za-z0-9_.-]*$") {
        $0.unicodeScalars.allSatisfy { isAlnum($0) || "_.-".unicodeScalars.contains($0) }
    }

    static let simpleName = GoPattern(source: "^[A-Za-z0-9_.-]+$") {
        !$0.isEmpty && $0.unicodeScalars.allSatisfy { isAlnum($0) || "_.-".unicodeScalars.contains($0) }
    }

    static let tag = GoPattern(source: #"^[a-zA-Z][a-zA-Z0-9_\-.]{0,63}$"#) { value in
        let scalars = Array(value.unicodeScalars)
        guard (1...64).contains(scalars.count), ("a"..."z").contains(scalars[0]) || ("A"..."Z").contains(scalars[0])
        else { return false }
        return scalars.dropFirst().allSatisfy { isAlnum($0) || "_-.".unicodeScalars.contains($0) }
    }

    /// Go `time.ParseDuration` between 15m and 24h (`TokenExpirationTimeChecker`).
    static let tokenExpirationTime = GoPattern(source: "TokenExpirationTime") { value in
        guard let duration = GoDuration.parse(value) else { return false }
        return duration >= .seconds(15 * 60) && duration <= .seconds(24 * 3600)
    }
}
