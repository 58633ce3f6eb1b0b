import NIOCore
import NIOPosix

/// A deliberately minimal WebSocket client over a raw TCP connection: it performs the RFC 6455 handshake by hand,
/// never answers Pings by itself and reports a TCP close that came without a Close frame, so tests can observe
/// exactly what the simulator puts on the wire.
final class RawWebSocket {
    struct Frame: Equatable, CustomStringConvertible {
        var fin: Bool
        var opcode: UInt8
        var payload: [UInt8]

        static let text: UInt8 = 0x1
        static let binary: UInt8 = 0x2
        static let close: UInt8 = 0x8
        static let ping: UInt8 = 0x9
        static let pong: UInt8 = 0xA

        var text: String { String(decoding: payload, as: UTF8.self) }

        /// Close status code (nil when the payload is empty).
        var closeCode: UInt16? { payload.count >= 2 ? UInt16(payload[0]) << 8 | UInt16(payload[1]) : nil }

        var closeReason: String { payload.count > 2 ? String(decoding: payload[2...], as: UTF8.self) : "" }

        var description: String { "Frame(opcode: \(opcode), payload: \(text))" }
    }

    /// Forwards received bytes into an `AsyncStream` and ends it when the connection closes.
    private final class ByteCollector: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer
        let continuation: AsyncStream<ByteBuffer>.Continuation

        init(continuation: AsyncStream<ByteBuffer>.Continuation) {
            self.continuation = continuation
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            continuation.yield(unwrapInboundIn(data))
        }

        func channelInactive(context: ChannelHandlerContext) {
            continuation.finish()
            context.fireChannelInactive()
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            context.close(promise: nil)
        }
    }

    let channel: any Channel
    private var iterator: AsyncStream<ByteBuffer>.AsyncIterator
    private var buffer: [UInt8] = []
    /// Status code of the handshake answer.
    private(set) var handshakeStatus = 0
    /// The handshake answer head.
    private(set) var handshakeResponse = ""

    private init(channel: any Channel, bytes: AsyncStream<ByteBuffer>) {
        self.channel = channel
        self.iterator = bytes.makeAsyncIterator()
    }

    /// Connects and sends the upgrade request. `upgrade: false` sends a plain GET instead.
    static func connect(
        port: Int,
        path: String,
        headers: [(String, String)] = [],
        upgrade: Bool = true
    ) async throws -> RawWebSocket {
        let (bytes, continuation) = AsyncStream.makeStream(of: ByteBuffer.self)
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ByteCollector(continuation: continuation))
                }
            }
            .connect(host: "127.0.0.1", port: port).get()
        let socket = RawWebSocket(channel: channel, bytes: bytes)
        var request = "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\n"
        if upgrade {
            request += "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
            request += "Sec-WebSocket-Version: 13\r\n"
        }
        for (name, value) in headers { request += "\(name): \(value)\r\n" }
        request += "\r\n"
        try await channel.writeAndFlush(ByteBuffer(string: request))
        try await socket.readHandshake()
        return socket
    }

    private func fill() async throws -> Bool {
        guard var chunk = await iterator.next() else { return false }
        buffer += chunk.readBytes(length: chunk.readableBytes) ?? []
        return true
    }

    private func readHandshake() async throws {
        let terminator: [UInt8] = Array("\r\n\r\n".utf8)
        while true {
            if let range = buffer.firstRange(of: terminator) {
                handshakeResponse = String(decoding: buffer[..<range.lowerBound], as: UTF8.self)
                buffer.removeSubrange(..<range.upperBound)
                let statusLine = handshakeResponse.split(separator: "\r\n").first ?? ""
                handshakeStatus = Int(statusLine.split(separator: " ").dropFirst().first ?? "") ?? 0
                return
            }
            guard try await fill() else { return }
        }
    }

    /// The rest of a plain HTTP answer (after the handshake head), up to the connection's end or `length` bytes.
    func readBody(length: Int) async throws -> String {
        while buffer.count < length {
            guard try await fill() else { break }
        }
        let body = Array(buffer.prefix(length))
        buffer.removeFirst(body.count)
        return String(decoding: body, as: UTF8.self)
    }

    /// The next frame from the server, or `nil` when the TCP connection ended.
    func nextFrame() async throws -> Frame? {
        while true {
            if let frame = parseFrame() { return frame }
            guard try await fill() else { return nil }
        }
    }

    /// Frames until the connection ends.
    func remainingFrames() async throws -> [Frame] {
        var frames: [Frame] = []
        while let frame = try await nextFrame() { frames.append(frame) }
        return frames
    }

    private func parseFrame() -> Frame? {
        guard buffer.count >= 2 else { return nil }
        let fin = buffer[0] & 0x80 != 0
        let opcode = buffer[0] & 0x0F
        var length = Int(buffer[1] & 0x7F)
        var offset = 2
        if length == 126 {
            guard buffer.count >= 4 else { return nil }
            length = Int(buffer[2]) << 8 | Int(buffer[3])
            offset = 4
        } else if length == 127 {
            guard buffer.count >= 10 else { return nil }
            length = buffer[2..<10].reduce(0) { $0 << 8 | Int($1) }
            offset = 10
        }
        guard buffer.count >= offset + length else { return nil }
        let payload = Array(buffer[offset..<(offset + length)])
        buffer.removeFirst(offset + length)
        return Frame(fin: fin, opcode: opcode, payload: payload)
    }

    /// Sends a masked frame.
    func send(opcode: UInt8, payload: [UInt8] = [], fin: Bool = true) async throws {
        var bytes: [UInt8] = [(fin ? 0x80 : 0) | opcode]
        if payload.count < 126 {
            bytes.append(0x80 | UInt8(payload.count))
        } else {
            bytes.append(0x80 | 126)
            bytes.append(UInt8(payload.count >> 8))
            bytes.append(UInt8(payload.count & 0xFF))
        }
        let mask: [UInt8] = (0..<4).map { _ in UInt8.random(in: 0...255) }
        bytes += mask
        bytes += payload.enumerated().map { $0.element ^ mask[$0.offset % 4] }
        try await channel.writeAndFlush(ByteBuffer(bytes: bytes))
    }

    func sendText(_ text: String) async throws { try await send(opcode: Frame.text, payload: Array(text.utf8)) }

    func sendClose(code: UInt16, reason: String) async throws {
        try await send(opcode: Frame.close, payload: [UInt8(code >> 8), UInt8(code & 0xFF)] + Array(reason.utf8))
    }

    func close() async {
        try? await channel.close()
    }
}
