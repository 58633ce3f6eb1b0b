import HTTPTypes

/// The watch route as plain HTTP. A request only lands here when it was not upgraded: gorilla's
/// `Upgrader.Upgrade` answers a GET without a valid WebSocket handshake with 400 "Bad Request".
enum WatchRoutes {
    static let all: [Route] = [
        Route("GET", ServiceCenterRouter.watchPattern.text, watch)
    ]

    static func watch(_ request: SimulatedRequest, _ core: SimulatorCore) async -> SimulatedResponse {
        if core.faults.watchRefusal != nil {
            return .error(ServiceCenterAPIError(.internalError, "watch sockets refused (fault injection)"))
        }
        if WebSocketHandshake.isValidUpgrade(request.headers) {
            // A valid handshake on a reused keep-alive connection, where the upgrader is no longer in the pipeline:
            // send the client to a fresh connection (the same trick Hummingbird's upgrade channel uses).
            var headers = HTTPFields()
            headers[.location] = request.path + (request.rawQuery.isEmpty ? "" : "?" + request.rawQuery)
            headers[.connection] = "close"
            return SimulatedResponse(status: .temporaryRedirect, headers: headers, body: [])
        }
        var headers = HTTPFields()
        headers[HTTPField.Name("Sec-Websocket-Version")!] = "13"
        return .goPlainError(.badRequest, "Bad Request", headers: headers)
    }
}

/// RFC 6455 handshake checks, as gorilla/websocket performs them.
enum WebSocketHandshake {
    static func isValidUpgrade(_ headers: HTTPFields) -> Bool {
        func tokens(_ name: HTTPField.Name) -> [String] {
            headers[values: name].flatMap { $0.split(separator: ",") }.map {
                $0.trimmingCharacters(in: .whitespaces).lowercased()
            }
        }
        return tokens(.connection).contains("upgrade") && tokens(.upgrade).contains("websocket")
            && headers[.secWebSocketVersion] == "13" && !(headers[.secWebSocketKey] ?? "").isEmpty
    }
}
