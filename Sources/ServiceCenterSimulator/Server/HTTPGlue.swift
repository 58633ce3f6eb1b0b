import Foundation
import HTTPTypes
import HummingbirdCore
import NIOCore

/// Connects Hummingbird's request/response types to the ``ServiceCenterRouter``.
enum HTTPGlue {
    /// `server.MaxBodyBytes` (2 MiB) plus one byte to detect oversize bodies.
    static let bodyCollectionLimit = 2_097_152 + 1

    static func makeResponder(core: SimulatorCore, router: ServiceCenterRouter) -> HTTPChannelHandler.Responder {
        { request, responseWriter, _ in
            var request = request
            var body: [UInt8] = []
            var bodyTooLarge = false
            do {
                let buffer = try await request.collectBody(upTo: bodyCollectionLimit)
                body = Array(buffer.readableBytesView)
            } catch {
                bodyTooLarge = true
            }
            let rawPath = request.uri.path
            let simulated = SimulatedRequest(
                method: request.method.rawValue,
                path: GoQuery.unescape(Substring(rawPath), plusIsSpace: false) ?? rawPath,
                query: GoQuery(request.uri.query),
                rawQuery: request.uri.query ?? "",
                headers: request.headers,
                body: body
            )
            let response =
                bodyTooLarge
                ? SimulatedResponse.error(ServiceCenterAPIError(.invalidParameters, "http: request body too large"))
                : await router.respond(to: simulated, core: core)
            try await responseWriter.write(
                response: finalize(response).head,
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: response.body))
            )
        }
    }

    /// The response head with the headers Go's `net/http` adds: `Date` and, except on 304, `Content-Length`.
    static func finalize(_ response: SimulatedResponse) -> (head: HTTPResponse, body: [UInt8]) {
        var headers = response.headers
        headers[.date] = httpDate(Date())
        if response.status != .notModified {
            headers[.contentLength] = String(response.body.count)
        }
        return (HTTPResponse(status: response.status, headerFields: headers), response.body)
    }

    /// RFC 7231 IMF-fixdate, as Go's `http.TimeFormat` writes it.
    static func httpDate(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return
            "\(days[Int(parts.tm_wday)]), \(two(parts.tm_mday)) \(months[Int(parts.tm_mon)]) \(1900 + parts.tm_year) "
            + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)) GMT"
    }
}
