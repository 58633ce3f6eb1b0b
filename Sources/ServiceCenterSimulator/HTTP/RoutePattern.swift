/// A Service Center route pattern such as `/v4/:project/registry/microservices/:serviceId`, matched with the
/// semantics of `pkg/rest/handler.go`: a `:name` segment captures up to the next `/` (possibly nothing), literal
/// characters must match exactly, and a pattern ending in `/` also matches longer paths.
struct RoutePattern: Sendable, Hashable, CustomStringConvertible {
    let text: String

    init(_ text: String) {
        self.text = text
    }

    var description: String { text }

    /// The captured parameters, or `nil` when `path` does not match.
    func match(_ path: String) -> [String: String]? {
        let pattern = Array(text.utf8)
        let input = Array(path.utf8)
        var i = 0
        var j = 0
        var parameters: [String: String] = [:]
        while i < input.count {
            if j >= pattern.count {
                if text != "/", pattern.last == UInt8(ascii: "/") { return parameters }
                return nil
            }
            if pattern[j] == UInt8(ascii: ":") {
                var end = j + 1
                while end < pattern.count, Self.isNameByte(pattern[end]) { end += 1 }
                let name = String(decoding: pattern[(j + 1)..<end], as: UTF8.self)
                let stop = end < pattern.count ? pattern[end] : 0
                var valueEnd = i
                while valueEnd < input.count, input[valueEnd] != UInt8(ascii: "/"), input[valueEnd] != stop {
                    valueEnd += 1
                }
                parameters[name] = String(decoding: input[i..<valueEnd], as: UTF8.self)
                i = valueEnd
                j = end
            } else if input[i] == pattern[j] {
                i += 1
                j += 1
            } else {
                return nil
            }
        }
        return j == pattern.count ? parameters : nil
    }

    private static func isNameByte(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "_")
    }
}
