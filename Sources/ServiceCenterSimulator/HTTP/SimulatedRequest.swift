import HTTPTypes

/// A request as the Service Center handlers see it: decoded path, Go-parsed query, headers, body and the path
/// parameters of the matched route.
struct SimulatedRequest: Sendable {
    var method: String
    /// Percent-decoded path (Go's `r.URL.Path`).
    var path: String
    var query: GoQuery
    /// The query string as sent (no leading `?`).
    var rawQuery: String
    var headers: HTTPFields
    var body: [UInt8]
    /// Path parameters of the matched route (`project`, `serviceId`, ...).
    var parameters: [String: String] = [:]

    func header(_ name: String) -> String {
        guard let field = HTTPField.Name(name) else { return "" }
        return headers[field] ?? ""
    }

    func parameter(_ name: String) -> String { parameters[name] ?? "" }

    /// Domain from `X-Domain-Name` (default `default`), project from the path (default `default`).
    var tenant: Tenant {
        let domain = header("X-Domain-Name")
        let project = parameter("project")
        return Tenant(domain: domain.isEmpty ? "default" : domain, project: project.isEmpty ? "default" : project)
    }

    var consumerId: String { header("X-ConsumerId") }

    /// The `rev` the client holds; ignored when `noCache` or `cacheOnly` is set (context handler order).
    var requestRevision: String {
        if GoQuery.isTrue(query.value("noCache")) || GoQuery.isTrue(query.value("cacheOnly")) { return "" }
        return query.value("rev")
    }

    /// `tags=a,b` as a list (empty when absent).
    var tags: [String] {
        let raw = query.value("tags")
        return raw.isEmpty ? [] : raw.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
    }
}
