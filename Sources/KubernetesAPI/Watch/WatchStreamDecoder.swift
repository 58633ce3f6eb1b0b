import BridgeKernel

/// Splits a watch response body into events. The server writes one JSON object per line, but TCP (and libcurl)
/// may cut anywhere, so bytes are buffered until a newline completes an event.
public struct WatchStreamDecoder: Sendable {
    private var buffer: [UInt8] = []

    /// Creates an empty decoder.
    public init() {}

    /// Feeds a chunk and returns the events it completed.
    ///
    /// - Throws: ``KubernetesAPIError`` with code `malformedResponse` when a line is not a watch event.
    public mutating func feed(_ chunk: [UInt8]) throws(KubernetesAPIError) -> [WatchEvent] {
        buffer.append(contentsOf: chunk)
        var events: [WatchEvent] = []
        var start = 0
        while let newline = buffer[start...].firstIndex(of: UInt8(ascii: "\n")) {
            let line = buffer[start..<newline]
            start = newline + 1
            if line.allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\r") }) { continue }
            events.append(try Self.decode(line))
        }
        buffer.removeFirst(start)
        return events
    }

    /// Decodes what is left when the stream ends (a final event without a newline).
    public mutating func finish() throws(KubernetesAPIError) -> [WatchEvent] {
        defer { buffer.removeAll() }
        guard buffer.contains(where: { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\r") }) else { return [] }
        return [try Self.decode(buffer[...])]
    }

    private static func decode(_ line: ArraySlice<UInt8>) throws(KubernetesAPIError) -> WatchEvent {
        guard let value = try? JSONValue.parse(line), let typeName = value["type"]?.stringValue,
            let kind = WatchEvent.Kind(rawValue: typeName), let object = value["object"]
        else {
            throw KubernetesAPIError(
                .malformedResponse, method: "GET", path: "watch", status: 200,
                message: "not a watch event: \(String(decoding: line.prefix(200), as: UTF8.self))")
        }
        return WatchEvent(kind: kind, object: object)
    }
}
