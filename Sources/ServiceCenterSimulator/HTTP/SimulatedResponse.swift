import HTTPTypes

/// A response in the exact shapes Service Center (Go `net/http` + `pkg/rest`) produces.
struct SimulatedResponse: Sendable {
    var status: HTTPResponse.Status
    var headers: HTTPFields
    var body: [UInt8]

    static let jsonContentType = "application/json; charset=UTF-8"
    static let textContentType = "text/plain; charset=UTF-8"

    /// `rest.WriteResponse` with an object: 200 and compact JSON.
    static func json(_ value: some GoJSONEncodable, headers extra: HTTPFields = [:]) -> SimulatedResponse {
        json(value.goJSON, headers: extra)
    }

    static func json(_ value: GoJSON, headers extra: HTTPFields = [:]) -> SimulatedResponse {
        var headers = extra
        headers[.contentType] = jsonContentType
        return SimulatedResponse(status: .ok, headers: headers, body: Array(value.serialized.utf8))
    }

    /// `rest.WriteResponse(w, r, nil, nil)`: 200, empty body, `text/plain; charset=UTF-8`.
    static func emptySuccess(headers extra: HTTPFields = [:]) -> SimulatedResponse {
        var headers = extra
        headers[.contentType] = textContentType
        return SimulatedResponse(status: .ok, headers: headers, body: [])
    }

    /// `rest.WriteServiceError`: JSON error body, status `code / 1000`.
    static func error(_ error: ServiceCenterAPIError) -> SimulatedResponse {
        SimulatedResponse(
            status: HTTPResponse.Status(code: error.code.httpStatus),
            headers: [.contentType: jsonContentType],
            body: Array(error.jsonText.utf8)
        )
    }

    /// Go's `http.Error`: the text plus a newline, `text/plain; charset=utf-8`, `nosniff`.
    static func goPlainError(_ status: HTTPResponse.Status, _ text: String, headers extra: HTTPFields = [:])
        -> SimulatedResponse
    {
        var headers = extra
        headers[.contentType] = "text/plain; charset=utf-8"
        headers[.xContentTypeOptions] = "nosniff"
        return SimulatedResponse(status: status, headers: headers, body: Array((text + "\n").utf8))
    }

    /// `http.NotFound`.
    static let notFound = goPlainError(.notFound, "404 page not found")

    /// 304 with the revision header and no body.
    static func notModified(revision: String) -> SimulatedResponse {
        var headers = HTTPFields()
        headers[resourceRevision] = revision
        return SimulatedResponse(status: .notModified, headers: headers, body: [])
    }

    static let resourceRevision = HTTPField.Name("X-Resource-Revision")!
}
