import BridgeKernel

/// The fingerprint of an object's desired content, stored on the object as the ``annotation`` so that the sink
/// knows after a restart whether the object in the cluster was written from the same content — including fields
/// that were since removed from the desired object, which a field-by-field comparison would not notice.
enum ContentHash {
    /// The annotation carrying the fingerprint.
    static let annotation = "meshbridge.io/content-hash"

    /// FNV-1a (64 bit) of the canonical JSON, as 16 hex digits.
    static func of(_ value: JSONValue) -> String {
        hex(fnv1a(value.canonicalJSON))
    }

    /// FNV-1a (64 bit) of a string's UTF-8 bytes.
    static func fnv1a(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x100_0000_01b3
        }
        return hash
    }

    static func hex(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
