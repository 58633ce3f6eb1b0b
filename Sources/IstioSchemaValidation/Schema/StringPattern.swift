/// A compiled `pattern` keyword.
///
/// Go uses RE2 syntax; Swift's regex syntax accepts the common subset (classes, groups, anchors, repetition)
/// with the same meaning. The apiserver matches unanchored (`MatchString`), so does this.
struct StringPattern: @unchecked Sendable {
    // Regex holds no mutable shared state once built; it is only read during matching.
    let source: String
    private let regex: Regex<AnyRegexOutput>

    init(_ source: String) throws {
        self.source = source
        self.regex = try Regex(source)
    }

    func matches(_ text: String) -> Bool {
        (try? regex.firstMatch(in: text)) != nil
    }
}
