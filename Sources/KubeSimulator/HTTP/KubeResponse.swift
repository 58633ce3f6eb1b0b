import BridgeKernel

/// What a handler answers.
enum KubeResponse: Sendable {
    /// A JSON document. `unstructured` content (custom resources and their lists) is written with sorted keys
    /// as Go's unstructured encoder does; typed content puts the well-known leading fields first.
    case json(
        code: Int, body: JSONValue, unstructured: Bool, contentType: String = "application/json",
        warnings: [String] = [])
    /// A watch stream of JSON events.
    case watch(WatchStream)
    /// An error.
    case error(APIError)
}

/// The events of one watch response, already encoded, one JSON document per element.
struct WatchStream: Sendable {
    let events: AsyncStream<String>
}
