import CCurl

// libcurl takes plain C function pointers, so the callbacks are global functions (closures with captures would not
// convert). Per-transfer context arrives as the opaque `CurlTransfer` pointer set in CURLOPT_WRITEDATA/HEADERDATA.
// All of them run on the curl event loop thread, inside curl_multi_perform.

/// CURLOPT_WRITEFUNCTION: a piece of the response body.
func curlWriteCallback(
    _ data: UnsafeMutablePointer<CChar>?,
    _ size: Int,
    _ count: Int,
    _ context: UnsafeMutableRawPointer?
) -> Int {
    guard let context else { return 0 }
    let length = size * count
    let bytes = UnsafeBufferPointer(start: UnsafeRawPointer(data)?.assumingMemoryBound(to: UInt8.self), count: length)
    // Returning a short count makes libcurl fail the transfer with CURLE_WRITE_ERROR.
    return CurlTransfer.from(context).receiveBody(bytes) ? length : 0
}

/// CURLOPT_HEADERFUNCTION: one complete header line, including the status line and the final blank line.
func curlHeaderCallback(
    _ data: UnsafeMutablePointer<CChar>?,
    _ size: Int,
    _ count: Int,
    _ context: UnsafeMutableRawPointer?
) -> Int {
    guard let context else { return 0 }
    let length = size * count
    let bytes = UnsafeBufferPointer(start: UnsafeRawPointer(data)?.assumingMemoryBound(to: UInt8.self), count: length)
    CurlTransfer.from(context).receiveHeaderLine(bytes)
    return length
}

/// Process-wide libcurl initialisation, run once before the first handle is created.
enum CurlGlobal {
    private static let initialized: Bool = {
        ccurl_global_init_default() == CURLE_OK
    }()

    static func initializeOnce() {
        precondition(Self.initialized, "curl_global_init failed")
    }
}
