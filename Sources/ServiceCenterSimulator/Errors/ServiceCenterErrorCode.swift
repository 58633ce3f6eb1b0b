/// The numeric error codes Service Center puts into `errorCode` (cari `discovery` and `rbac` error tables).
///
/// The HTTP status of an error answer is the code divided by 1000.
public enum ServiceCenterErrorCode: Int32, Sendable, Hashable, CaseIterable {
    /// Invalid parameter(s).
    case invalidParameters = 400001
    /// Server is Unhealthy.
    case unhealthy = 400002
    /// Micro-service already exists.
    case serviceAlreadyExists = 400010
    /// Micro-service does not exist.
    case serviceNotExists = 400012
    /// Micro-service has deployed instance(s).
    case deployedInstance = 400013
    /// Schema does not exist.
    case schemaNotExists = 400016
    /// Instance does not exist.
    case instanceNotExists = 400017
    /// Consumer(s) depends on this micro-service.
    case dependedOnConsumer = 400023
    /// Access micro-service refused.
    case permissionDenied = 400024
    /// Micro-service version does not exist.
    case serviceVersionNotExists = 400026
    /// Request unauthorized.
    case unauthorized = 401201
    /// User name or password is wrong.
    case userOrPasswordWrong = 401202
    /// No authorization header.
    case noAuthorizationHeader = 401204
    /// Token is expired.
    case tokenExpired = 401205
    /// Forbidden.
    case forbidden = 403001
    /// Internal server error.
    case internalError = 500003
    /// Registry service is unavailable.
    case registryUnavailable = 500011

    /// The fixed `errorMessage` Service Center pairs with the code.
    public var message: String {
        switch self {
        case .invalidParameters: return "Invalid parameter(s)"
        case .unhealthy: return "Server is Unhealthy"
        case .serviceAlreadyExists: return "Micro-service already exists"
        case .serviceNotExists: return "Micro-service does not exist"
        case .deployedInstance: return "Micro-service has deployed instance(s)"
        case .schemaNotExists: return "Schema does not exist"
        case .instanceNotExists: return "Instance does not exist"
        case .dependedOnConsumer: return "Consumer(s) depends on this micro-service"
        case .permissionDenied: return "Access micro-service refused"
        case .serviceVersionNotExists: return "Micro-service version does not exist"
        case .unauthorized: return "Request unauthorized"
        case .userOrPasswordWrong: return "User name or password is wrong"
        case .noAuthorizationHeader: return "No authorization header"
        case .tokenExpired: return "Token is expired"
        case .forbidden: return "Forbidden"
        case .internalError: return "Internal server error"
        case .registryUnavailable: return "Registry service is unavailable"
        }
    }

    /// `code / 1000`.
    public var httpStatus: Int { Int(rawValue / 1000) }
}
