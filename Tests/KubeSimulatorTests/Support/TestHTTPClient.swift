import BridgeKernel
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// A minimal HTTP/1.1 client on NIO for talking to the simulator over a real socket: one connection per
/// request, full responses or streamed watch events.
struct TestHTTPClient: Sendable {
    let port: Int
    var headers: [(String, String)] = []

    /// A complete response.
    struct Response: Sendable {
        var status: Int
        var headers: [(String, String)]
        var body: Data

        var text: String { String(decoding: body, as: UTF8.self) }
        var json: JSONValue? { try? JSONValue.parse(body) }

        /// All values of a header (case-insensitive).
        func values(_ name: String) -> [String] {
            headers.filter { $0.0.lowercased() == name.lowercased() }.map(\.1)
        }
    }

    /// The connection failed or was closed before a response head arrived.
    struct ConnectionClosed: Error {}

    func request(
        _ method: HTTPMethod, _ path: String, json: JSONValue? = nil, body: String? = nil,
        contentType: String = "application/json", headers extra: [(String, String)] = []
    ) async throws -> Response {
        let payload = body ?? json?.canonicalJSON
        let channel = try await connect()
        return try await channel.executeThenClose { inbound, outbound in
            try await outbound.write(
                .head(head(method, path, payload: payload, contentType: contentType, extra: extra)))
            if let payload { try await outbound.write(.body(.byteBuffer(ByteBuffer(string: payload)))) }
            try await outbound.write(.end(nil))
            var response: Response?
            for try await part in inbound {
                switch part {
                case .head(let head):
                    response = Response(
                        status: Int(head.status.code), headers: head.headers.map { ($0.name, $0.value) }, body: Data())
                case .body(let buffer):
                    response?.body.append(contentsOf: buffer.readableBytesView)
                case .end:
                    guard let response else { throw ConnectionClosed() }
                    return response
                }
            }
            throw ConnectionClosed()
        }
    }

    func get(_ path: String, accept: String? = nil) async throws -> Response {
        try await request(.GET, path, headers: accept.map { [("Accept", $0)] } ?? [])
    }

    /// Opens a watch and returns its events as they arrive, plus the status code.
    func watch(_ path: String) async throws -> (status: Int, events: AsyncThrowingStream<JSONValue, any Error>) {
        let channel = try await connect()
        let (stream, continuation) = AsyncThrowingStream<JSONValue, any Error>.makeStream()
        let (statusStream, statusContinuation) = AsyncStream<Int>.makeStream()
        let task = Task {
            do {
                try await channel.executeThenClose { inbound, outbound in
                    try await outbound.write(.head(head(.GET, path, payload: nil, contentType: "", extra: [])))
                    try await outbound.write(.end(nil))
                    var pending = Data()
                    for try await part in inbound {
                        switch part {
                        case .head(let head):
                            statusContinuation.yield(Int(head.status.code))
                            statusContinuation.finish()
                        case .body(let buffer):
                            pending.append(contentsOf: buffer.readableBytesView)
                            while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                                let line = pending[pending.startIndex..<newline]
                                pending = Data(pending[pending.index(after: newline)...])
                                if !line.isEmpty { continuation.yield(try JSONValue.parse(line)) }
                            }
                        case .end:
                            return
                        }
                    }
                }
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
            statusContinuation.finish()
        }
        continuation.onTermination = { _ in task.cancel() }
        var statuses = statusStream.makeAsyncIterator()
        guard let status = await statuses.next() else { throw ConnectionClosed() }
        return (status, stream)
    }

    private func head(
        _ method: HTTPMethod, _ path: String, payload: String?, contentType: String, extra: [(String, String)]
    )
        -> HTTPRequestHead
    {
        var head = HTTPRequestHead(version: .http1_1, method: method, uri: path)
        head.headers.add(name: "Host", value: "127.0.0.1:\(port)")
        for (name, value) in headers + extra { head.headers.add(name: name, value: value) }
        if !head.headers.contains(name: "User-Agent") {
            head.headers.add(name: "User-Agent", value: "kube-simulator-tests/1.0")
        }
        if let payload {
            head.headers.add(name: "Content-Type", value: contentType)
            head.headers.add(name: "Content-Length", value: String(payload.utf8.count))
        }
        return head
    }

    private func connect() async throws -> NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart> {
        try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    return try NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>(
                        wrappingChannelSynchronously: channel)
                }
            }
    }
}
