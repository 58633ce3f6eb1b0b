import Foundation

/// Service and instance ids as Service Center generates them: a version-4 UUID without dashes, lower case
/// (`pkg/util/uuid.go`).
enum Identifiers {
    static func generate() -> String {
        UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
    }

    /// Unix seconds as the decimal string Service Center stores in `timestamp`/`modTimestamp`.
    static func timestamp(_ date: Date) -> String {
        String(Int64(date.timeIntervalSince1970.rounded(.down)))
    }
}
