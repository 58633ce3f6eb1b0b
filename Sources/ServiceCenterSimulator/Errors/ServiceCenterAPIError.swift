/// An error exactly as Service Center answers it (cari `errsvc.Error`): `{"errorCode":"400012",
/// "errorMessage":"Micro-service does not exist","detail":"Service does not exist."}` with HTTP status
/// `errorCode / 1000`.
public struct ServiceCenterAPIError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The error code.
    public var code: ServiceCenterErrorCode
    /// The `detail` text; omitted from the JSON when empty.
    public var detail: String

    /// Creates an error.
    public init(_ code: ServiceCenterErrorCode, _ detail: String = "") {
        self.code = code
        self.detail = detail
    }

    /// The fixed message of the code.
    public var message: String { code.message }

    /// `message(detail)`, as Go's `errsvc.Error.Error()` renders it.
    public var description: String {
        detail.isEmpty ? "\(message) [\(code.rawValue)]" : "\(message) [\(code.rawValue)]: \(detail)"
    }

    /// Go's `Error()` text (used inside batch-find `failed` entries).
    var goErrorText: String { detail.isEmpty ? message : "\(message)(\(detail))" }
}

extension ServiceCenterAPIError: GoJSONEncodable {
    var goJSON: GoJSON {
        var builder = GoJSONObjectBuilder()
        builder.always("errorCode", .string(String(code.rawValue)))
        builder.always("errorMessage", .string(message))
        builder.omitEmpty("detail", detail)
        return builder.object
    }
}
