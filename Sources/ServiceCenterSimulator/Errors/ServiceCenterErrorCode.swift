/// The numeric error codes Service Center puts into `errorCode` (cari `discovery` and `rbac` error tables).
///
/// The HTTP status of an error answer is the code divided by 1000.
public enum ServiceCenterErrorCode: Int32, Sendable, Hashable, CaseIterable {
    case invalidParameters = 400001
    case unhealthy = 400002
    case serviceAlreadyExists = 400010
    case serviceNotExists = 400012
    case deployedInstance = 400013
    case schemaNotExists = 400016
    case instanceNotExists = 400017
    case dependedOnConsumer = 400023
    case permissionDenied = 400024
    case serviceVersionNotExists = 400026
    case unauthorized = 401201
    case userOrPasswordWrong = 401202
    case noAuthorizationHeader = 401204
    case tokenExpired = 401205
    case forbidden = 403001
    case internalError = 500003
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
