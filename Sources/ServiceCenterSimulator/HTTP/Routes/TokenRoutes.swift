/// `server/resource/rbac/auth_resource.go` login; registered only when RBAC is on.
enum TokenRoutes {
    static let all: [Route] = [
        Route("POST", "/v4/token", login)
    ]

    static func login(_ request: SimulatedRequest, _ core: SimulatorCore) async -> SimulatedResponse {
        guard let tokens = core.tokens else { return .notFound }
        let account: (name: String, password: String, expiration: String)
        do {
            let reader = try GoJSONObjectReader.parse(request.body, structName: "Account")
            account = (
                try reader.string("name"), try reader.string("password"), try reader.string("tokenExpirationTime")
            )
        } catch {
            return .error(ServiceCenterAPIError(.invalidParameters, "\(error)"))
        }
        do throws(ServiceCenterAPIError) {
            let token = try tokens.login(name: account.name, password: account.password, expiration: account.expiration)
            return .json(.object([("token", .string(token))]))
        } catch {
            return .error(error)
        }
    }
}
