/// The single account of an RBAC-enabled simulator (Service Center's `root` account).
public struct RBACSettings: Sendable {
    /// Account name accepted by `POST /v4/token`.
    public var userName: String
    /// Its password.
    public var password: String

    /// Creates RBAC settings.
    public init(userName: String = "root", password: String) {
        self.userName = userName
        self.password = password
    }
}
