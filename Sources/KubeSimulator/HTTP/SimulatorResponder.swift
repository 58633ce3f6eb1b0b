import BridgeKernel
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// The request context: Hummingbird's basics plus the connection, which authentication (client certificate)
/// and fault injection (dropping the connection) need.
struct SimulatorRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let channel: any Channel

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }

    var maxUploadSize: Int { 3 * 1024 * 1024 }
}

/// Turns HTTP requests into ``KubeRequest``s: admin paths first, then injected faults, authentication and the
/// body-size limit, then the API handler; and its answers into HTTP responses.
struct SimulatorResponder: HTTPResponder {
    typealias Context = SimulatorRequestContext

    let handler: APIHandler
    let admin: AdminEndpoints
    let faults: FaultInjector
    let authenticator: Authenticator
    let usesTLS: Bool

    /// `MaxRequestBodyBytes` of the apiserver.
    static let maximumBodySize = 3 * 1024 * 1024

    func respond(to request: Request, context: Context) async throws -> Response {
        let rawPath = request.uri.path
        // Foundation's decoding was a visible share of every request; paths rarely hold an escape.
        let path = rawPath.utf8.contains(UInt8(ascii: "%")) ? (rawPath.removingPercentEncoding ?? rawPath) : rawPath
        let method = request.method.rawValue
        if path.hasPrefix(AdminEndpoints.prefix) {
            let body = try await collect(request)
            return Self.response(admin.handle(method: method, path: path, body: body ?? Data()))
        }
        let query = Self.parseQuery(request.uri.query)
        let isWatch = query["watch"] == "true" || query["watch"] == "1"
        var resource: String?
        var name: String?
        if case .resource(let route)? = Route.resolve(
            path.split(separator: "/").map(String.init), catalog: handler.catalog)
        {
            resource = route.resource.plural
            name = route.name
        }
        let userAgent = request.headers[.userAgent] ?? ""
        if let action = faults.action(
            method: method, resource: resource, name: name, isWatch: isWatch, userAgent: userAgent)
        {
            switch action {
            case .throttle(let seconds):
                return Self.response(.error(.tooManyRequests(retryAfter: seconds)))
            case .error(let code, let seconds):
                var error = Self.injectedError(code: code)
                if let seconds { error.headers.append(("Retry-After", String(seconds))) }
                return Self.response(.error(error))
            case .delay(let duration):
                try? await Task.sleep(for: duration)
            case .dropConnection:
                try? await context.channel.close()
                throw CancellationError()
            }
        }
        let certificateUser = usesTLS ? await ClientCertificateIdentity.user(on: context.channel) : nil
        guard
            let user = authenticator.authenticate(
                authorization: request.headers[.authorization], certificateUser: certificateUser)
        else {
            return Self.response(.error(.unauthorized))
        }
        guard let body = try await collect(request) else {
            return Self.response(
                .error(
                    .status(
                        code: 413, reason: "RequestEntityTooLarge",
                        message: "Request entity too large: limit is \(Self.maximumBodySize)")))
        }
        let kubeRequest = KubeRequest(
            method: method, path: path, query: query, accept: request.headers[.accept] ?? "",
            contentType: request.headers[.contentType] ?? "", userAgent: request.headers[.userAgent] ?? "",
            body: body, user: user)
        return Self.response(await handler.handle(kubeRequest))
    }

    /// The body, or `nil` when it exceeds the limit.
    private func collect(_ request: Request) async throws -> Data? {
        var request = request
        do {
            let buffer = try await request.collectBody(upTo: Self.maximumBodySize)
            return Data(buffer.readableBytesView)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            return nil
        }
    }

    /// A Status for an injected error code, worded like `errors.NewGenericServerResponse`.
    static func injectedError(code: Int) -> APIError {
        switch code {
        case 500:
            return .internalError("injected fault")
        case 503:
            return .status(
                code: 503, reason: "ServiceUnavailable", message: "the server is currently unable to handle the request"
            )
        case 409:
            return .status(code: 409, reason: "Conflict", message: "the server reported a conflict")
        case 504:
            return .status(
                code: 504, reason: "Timeout",
                message:
                    "the server was unable to return a response in the time allotted, but may still be processing the request"
            )
        default:
            return .status(
                code: code, reason: code >= 500 ? "InternalError" : "",
                message: "the server responded with the status code \(code) but did not return more information")
        }
    }

    /// `a=b&c=d` with `+` and percent decoding; the first value of a repeated key wins.
    static func parseQuery(_ query: String?) -> [String: String] {
        var result: [String: String] = [:]
        for pair in (query ?? "").split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ text: Substring) -> String {
                // Most parameters need no decoding; Foundation's replacing and decoding cost more than the rest.
                if !text.utf8.contains(where: { $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "%") }) {
                    return String(text)
                }
                let spaced = text.replacingOccurrences(of: "+", with: " ")
                return spaced.removingPercentEncoding ?? spaced
            }
            let key = decode(parts[0])
            if result[key] == nil { result[key] = parts.count > 1 ? decode(parts[1]) : "" }
        }
        return result
    }

    /// Renders a handler answer.
    static func response(_ answer: KubeResponse) -> Response {
        var headers = HTTPFields()
        headers[.cacheControl] = "no-cache, private"
        headers.append(HTTPField(name: HTTPField.Name("Audit-Id")!, value: AuditID.next()))
        headers.append(
            HTTPField(
                name: HTTPField.Name("X-Kubernetes-Pf-Flowschema-Uid")!, value: "6b1e0f2a-5d7c-4c61-9a1e-0c3f2e5b7d10"))
        headers.append(
            HTTPField(
                name: HTTPField.Name("X-Kubernetes-Pf-Prioritylevel-Uid")!,
                value: "8f4d2c1b-3a6e-4b5f-8c7d-1e2f3a4b5c6d"))
        switch answer {
        case .json(let code, let body, let unstructured, let contentType, let warnings):
            headers[.contentType] = contentType
            for warning in warnings {
                headers.append(HTTPField(name: HTTPField.Name("Warning")!, value: "299 - " + KubeJSON.quote(warning)))
            }
            let text = unstructured ? body.canonicalJSON : KubeJSON.typed(body)
            return Response(
                status: HTTPResponse.Status(code: code), headers: headers,
                body: ResponseBody(byteBuffer: ByteBuffer(string: text + "\n")))
        case .error(let error):
            for (name, value) in error.headers {
                headers.append(HTTPField(name: HTTPField.Name(name)!, value: value))
            }
            switch error.body {
            case .status(let status):
                headers[.contentType] = "application/json"
                return Response(
                    status: HTTPResponse.Status(code: error.code), headers: headers,
                    body: ResponseBody(byteBuffer: ByteBuffer(string: KubeJSON.typed(status) + "\n")))
            case .text(let text):
                headers[.contentType] = "text/plain; charset=utf-8"
                headers.append(HTTPField(name: HTTPField.Name("X-Content-Type-Options")!, value: "nosniff"))
                return Response(
                    status: HTTPResponse.Status(code: error.code), headers: headers,
                    body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
            }
        case .watch(let stream):
            headers[.contentType] = "application/json"
            return Response(
                status: .ok, headers: headers,
                body: ResponseBody { writer in
                    for await line in stream.events {
                        try await writer.write(ByteBuffer(string: line + "\n"))
                    }
                    try await writer.finish(nil)
                })
        }
    }
}
