import CCurl
import Synchronization

/// One HTTP exchange: a configured libcurl easy handle plus everything its callbacks write into.
///
/// Threading: the transfer is built on the caller's thread, then handed to the ``CurlEventLoop`` through its
/// lock-protected inbox (the lock orders the set-up before any use on the loop thread). From then on only the loop
/// thread touches the handle and the mutable state below; callers only interact through continuations and the
/// atomic cancellation flag. Hence `@unchecked Sendable`.
///
/// Lifetime: libcurl's callbacks receive an opaque pointer to this object. The event loop retains it through
/// `Unmanaged` when the handle joins the multi handle and releases it after the handle has left, so the pointer
/// can never dangle while libcurl may call back.
final class CurlTransfer: @unchecked Sendable {
    /// How the result is delivered to the waiting task.
    enum Delivery {
        /// Collect the whole body and resume once with the complete response.
        case collect(CheckedContinuation<HTTPResponse, any Error>)
        /// Resume `head` as soon as the header block is complete, then yield body chunks into `body`.
        case stream(
            head: CheckedContinuation<HTTPResponseHead, any Error>?,
            body: AsyncThrowingStream<[UInt8], any Error>.Continuation)
        /// Already delivered (or not yet attached).
        case none
    }

    let method: HTTPMethod
    let url: String
    let easy: UnsafeMutableRawPointer
    private var headerList: UnsafeMutablePointer<curl_slist>?
    private let errorBuffer: UnsafeMutablePointer<CChar>

    /// Set from any thread by cancellation handlers; read by the loop when the transfer is added.
    private let cancellationRequested = Atomic<Bool>(false)

    // MARK: Loop-thread state

    var delivery: Delivery = .none
    /// The `Unmanaged` reference held on libcurl's behalf while the easy handle is in the multi handle.
    var libcurlReference: Unmanaged<CurlTransfer>?
    private var status = 0
    private var headers = HTTPHeaders()
    private var headComplete = false
    private var headDelivered = false
    private var body: [UInt8] = []

    /// Creates the easy handle and applies every option for `request`.
    ///
    /// - Throws: ``TransportError`` with code `invalidRequest` when the request cannot be expressed (bad header
    ///   characters, a URL libcurl rejects, unreadable options).
    init(request: HTTPRequest, timeout: Duration?, configuration: HTTPClient.Configuration) throws {
        CurlGlobal.initializeOnce()
        guard let easy = curl_easy_init() else {
            throw TransportError(
                code: .other, operation: request.method.rawValue, url: request.url,
                detail: "curl_easy_init failed")
        }
        self.method = request.method
        self.url = request.url
        self.easy = easy
        self.errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        self.errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        do {
            try self.configure(request: request, timeout: timeout, configuration: configuration)
        } catch {
            self.releaseHandle()
            throw error
        }
    }

    deinit {
        self.releaseHandle()
    }

    /// Frees the easy handle and its buffers. Idempotent; called by the loop once the handle left the multi handle.
    func releaseHandle() {
        if !self.handleReleased {
            self.handleReleased = true
            curl_easy_cleanup(self.easy)
            curl_slist_free_all(self.headerList)
            self.headerList = nil
            self.errorBuffer.deallocate()
        }
    }
    private var handleReleased = false

    /// The opaque pointer given to libcurl (`CURLOPT_PRIVATE`, write and header data).
    var opaquePointer: UnsafeMutableRawPointer {
        Unmanaged.passUnretained(self).toOpaque()
    }

    /// Recovers the transfer from a pointer given to libcurl.
    static func from(_ pointer: UnsafeMutableRawPointer) -> CurlTransfer {
        Unmanaged<CurlTransfer>.fromOpaque(pointer).takeUnretainedValue()
    }

    /// Marks the transfer as cancelled; returns `false` if it already was.
    func requestCancellation() -> Bool {
        !self.cancellationRequested.exchange(true, ordering: .acquiringAndReleasing)
    }

    /// Whether a cancellation has been requested.
    var isCancellationRequested: Bool {
        self.cancellationRequested.load(ordering: .acquiring)
    }

    // MARK: Option set-up

    private func configure(request: HTTPRequest, timeout: Duration?, configuration: HTTPClient.Configuration) throws {
        let operation = request.method.rawValue
        func check(_ code: CURLcode, _ what: String) throws {
            guard code == CURLE_OK else {
                throw TransportError(
                    code: .invalidRequest, operation: operation, url: request.url,
                    detail: "\(what): \(String(cString: curl_easy_strerror(code)))", curlCode: Int(code.rawValue))
            }
        }
        func setLong(_ option: CURLoption, _ value: Int, _ what: String) throws {
            try check(ccurl_easy_setopt_long(self.easy, option, value), what)
        }
        func setString(_ option: CURLoption, _ value: String?, _ what: String) throws {
            // libcurl copies string options, so a temporary C string is enough.
            if let value {
                try value.withCString { try check(ccurl_easy_setopt_string(self.easy, option, $0), what) }
            } else {
                try check(ccurl_easy_setopt_string(self.easy, option, nil), what)
            }
        }
        func setBlob(_ option: CURLoption, _ bytes: [UInt8], _ what: String) throws {
            try bytes.withUnsafeBytes {
                try check(ccurl_easy_setopt_blob(self.easy, option, $0.baseAddress, $0.count), what)
            }
        }

        guard request.url.hasPrefix("http://") || request.url.hasPrefix("https://") else {
            throw TransportError(
                code: .invalidRequest, operation: operation, url: request.url,
                detail: "only http:// and https:// URLs are supported")
        }
        try setString(CURLOPT_URL, request.url, "URL")
        try setString(CURLOPT_PROTOCOLS_STR, "http,https", "protocols")
        try setLong(CURLOPT_HTTP_VERSION, CURL_HTTP_VERSION_1_1, "HTTP version")
        try setLong(CURLOPT_NOSIGNAL, 1, "no signals")
        try check(ccurl_easy_setopt_pointer(self.easy, CURLOPT_ERRORBUFFER, self.errorBuffer), "error buffer")
        try check(ccurl_easy_setopt_pointer(self.easy, CURLOPT_PRIVATE, self.opaquePointer), "private pointer")
        try check(ccurl_easy_setopt_write_callback(self.easy, CURLOPT_WRITEFUNCTION, curlWriteCallback), "write")
        try check(ccurl_easy_setopt_pointer(self.easy, CURLOPT_WRITEDATA, self.opaquePointer), "write data")
        try check(ccurl_easy_setopt_write_callback(self.easy, CURLOPT_HEADERFUNCTION, curlHeaderCallback), "header")
        try check(ccurl_easy_setopt_pointer(self.easy, CURLOPT_HEADERDATA, self.opaquePointer), "header data")
        try setString(CURLOPT_PROXY, configuration.proxy ?? "", "proxy")
        try setString(CURLOPT_USERAGENT, configuration.userAgent, "user agent")
        try setLong(CURLOPT_CONNECTTIMEOUT_MS, configuration.connectTimeout.roundedUpMilliseconds, "connect timeout")
        if let timeout {
            try setLong(CURLOPT_TIMEOUT_MS, timeout.roundedUpMilliseconds, "timeout")
        }
        if let keepAlive = configuration.tcpKeepAlive {
            let seconds = max(1, Int(keepAlive.components.seconds))
            try setLong(CURLOPT_TCP_KEEPALIVE, 1, "TCP keep-alive")
            try setLong(CURLOPT_TCP_KEEPIDLE, seconds, "TCP keep-alive idle")
            try setLong(CURLOPT_TCP_KEEPINTVL, seconds, "TCP keep-alive interval")
        }

        // Method and body. Methods that normally carry a body always send a Content-Length (0 when empty).
        let carriesBody = request.body != nil || [.post, .put, .patch].contains(request.method)
        if request.method == .head {
            try setLong(CURLOPT_NOBODY, 1, "HEAD")
        } else if carriesBody {
            let body = request.body ?? []
            try check(
                ccurl_easy_setopt_off_t(self.easy, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count)), "body size")
            // COPYPOSTFIELDS copies the bytes, so the request's array need not outlive this call.
            try body.withUnsafeBytes { buffer in
                let base = buffer.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!
                try check(
                    ccurl_easy_setopt_pointer(
                        self.easy, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: base)), "body")
            }
            if request.method != .post {
                try setString(CURLOPT_CUSTOMREQUEST, request.method.rawValue, "method")
            }
        } else {
            try setLong(CURLOPT_HTTPGET, 1, "GET")
            if request.method != .get {
                try setString(CURLOPT_CUSTOMREQUEST, request.method.rawValue, "method")
            }
        }

        // Headers. "Expect:" stops libcurl from waiting for 100-continue before large bodies.
        var lines: [String] = []
        for field in request.headers {
            guard Self.isValidHeaderName(field.name), Self.isValidHeaderValue(field.value) else {
                throw TransportError(
                    code: .invalidRequest, operation: operation, url: request.url,
                    detail: "header \(field.name.debugDescription) contains a forbidden character")
            }
            // "Name;" is libcurl's spelling of a header with an empty value ("Name:" would delete it).
            lines.append(field.value.isEmpty ? "\(field.name);" : "\(field.name): \(field.value)")
        }
        if !request.headers.contains("Expect") {
            lines.append("Expect:")
        }
        for line in lines {
            guard let appended = curl_slist_append(self.headerList, line) else {
                throw TransportError(code: .other, operation: operation, url: request.url, detail: "out of memory")
            }
            self.headerList = appended
        }
        try check(ccurl_easy_setopt_pointer(self.easy, CURLOPT_HTTPHEADER, self.headerList), "headers")

        try self.configureTLS(configuration.tls, setLong: setLong, setString: setString, setBlob: setBlob)
    }

    private func configureTLS(
        _ tls: TLSConfiguration,
        setLong: (CURLoption, Int, String) throws -> Void,
        setString: (CURLoption, String?, String) throws -> Void,
        setBlob: (CURLoption, [UInt8], String) throws -> Void
    ) throws {
        switch tls.trustRoots {
        case .file(let path):
            try setString(CURLOPT_CAINFO, path, "CA file")
            try setString(CURLOPT_CAPATH, nil, "CA path")
        case .pem(let bytes):
            try setBlob(CURLOPT_CAINFO_BLOB, bytes, "CA PEM")
            try setString(CURLOPT_CAPATH, nil, "CA path")
        case nil:
            break
        }
        switch tls.clientCertificate {
        case .file(let path):
            try setString(CURLOPT_SSLCERT, path, "client certificate file")
            try setString(CURLOPT_SSLCERTTYPE, "PEM", "client certificate type")
        case .pem(let bytes):
            try setBlob(CURLOPT_SSLCERT_BLOB, bytes, "client certificate PEM")
            try setString(CURLOPT_SSLCERTTYPE, "PEM", "client certificate type")
        case nil:
            break
        }
        switch tls.clientPrivateKey {
        case .file(let path):
            try setString(CURLOPT_SSLKEY, path, "client key file")
            try setString(CURLOPT_SSLKEYTYPE, "PEM", "client key type")
        case .pem(let bytes):
            try setBlob(CURLOPT_SSLKEY_BLOB, bytes, "client key PEM")
            try setString(CURLOPT_SSLKEYTYPE, "PEM", "client key type")
        case nil:
            break
        }
        if tls.insecureSkipVerify {
            try setLong(CURLOPT_SSL_VERIFYPEER, 0, "skip peer verification")
            try setLong(CURLOPT_SSL_VERIFYHOST, 0, "skip host verification")
        }
    }

    static func isValidHeaderName(_ name: String) -> Bool {
        !name.isEmpty
            && name.utf8.allSatisfy { byte in
                byte > 0x20 && byte < 0x7F && byte != UInt8(ascii: ":")
            }
    }

    static func isValidHeaderValue(_ value: String) -> Bool {
        value.utf8.allSatisfy { $0 != 0x0D && $0 != 0x0A && $0 != 0x00 }
    }

    // MARK: Callbacks (loop thread)

    /// Handles one header line (status line, field, or the blank line ending a header block).
    func receiveHeaderLine(_ bytes: UnsafeBufferPointer<UInt8>) {
        // Trim CR/LF as bytes: in Swift, "\r\n" is a single Character.
        var end = bytes.count
        while end > 0, bytes[end - 1] == UInt8(ascii: "\r") || bytes[end - 1] == UInt8(ascii: "\n") {
            end -= 1
        }
        let line = Substring(String(decoding: UnsafeBufferPointer(rebasing: bytes[..<end]), as: UTF8.self))
        if line.hasPrefix("HTTP/") {
            // A new header block (after 1xx responses or proxy CONNECT): start over.
            let parts = line.split(separator: " ", maxSplits: 2)
            self.status = parts.count > 1 ? Int(parts[1]) ?? 0 : 0
            self.headers = HTTPHeaders()
            self.headComplete = false
        } else if line.isEmpty {
            if self.status >= 200 {
                self.headComplete = true
                self.deliverHeadIfStreaming()
            }
        } else if let colon = line.firstIndex(of: ":") {
            let name = line[..<colon].trimmingWhitespace()
            let value = line[line.index(after: colon)...].trimmingWhitespace()
            self.headers.add(name: String(name), value: String(value))
        }
    }

    /// Handles a piece of the (decoded) body. Returns `false` to make libcurl abort the transfer.
    func receiveBody(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        switch self.delivery {
        case .collect:
            self.body.append(contentsOf: bytes)
            return true
        case .stream(_, let continuation):
            self.deliverHeadIfStreaming()
            if case .terminated = continuation.yield(Array(bytes)) {
                return false
            }
            return true
        case .none:
            return false
        }
    }

    private func currentHead() -> HTTPResponseHead {
        var newConnections = 0
        _ = ccurl_easy_getinfo_long(self.easy, CURLINFO_NUM_CONNECTS, &newConnections)
        var status = self.status
        if status == 0 {
            _ = ccurl_easy_getinfo_long(self.easy, CURLINFO_RESPONSE_CODE, &status)
        }
        return HTTPResponseHead(status: status, headers: self.headers, connectionReused: newConnections == 0)
    }

    private func deliverHeadIfStreaming() {
        guard !self.headDelivered, case .stream(let head?, let body) = self.delivery else { return }
        self.headDelivered = true
        self.delivery = .stream(head: nil, body: body)
        head.resume(returning: self.currentHead())
    }

    // MARK: Completion (loop thread)

    /// Delivers the outcome once libcurl has finished (or the loop aborted) the transfer.
    func complete(with error: TransportError?) {
        switch self.delivery {
        case .collect(let continuation):
            if let error {
                continuation.resume(throwing: error)
            } else {
                continuation.resume(returning: HTTPResponse(head: self.currentHead(), body: self.body))
            }
        case .stream(let head, let body):
            if let head {
                if let error {
                    head.resume(throwing: error)
                } else {
                    head.resume(returning: self.currentHead())
                }
            }
            if let error {
                body.finish(throwing: error)
            } else {
                body.finish()
            }
        case .none:
            break
        }
        self.delivery = .none
    }

    /// The text libcurl wrote into the error buffer, if any.
    var libcurlErrorText: String {
        String(cString: self.errorBuffer)
    }
}

extension Substring {
    fileprivate func trimmingWhitespace() -> Substring {
        var result = self
        while let first = result.first, first == " " || first == "\t" { result.removeFirst() }
        while let last = result.last, last == " " || last == "\t" { result.removeLast() }
        return result
    }
}

extension Duration {
    /// The duration in whole milliseconds, rounded up (so a 1 µs timeout does not become "no timeout": 0).
    var roundedUpMilliseconds: Int {
        let (seconds, attoseconds) = self.components
        let millis = seconds * 1000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
        return Int(Swift.max(1, millis))
    }
}
