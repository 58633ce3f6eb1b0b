import Foundation
import NIOConcurrencyHelpers

/// Issues and verifies RBAC tokens for `POST /v4/token` and `Authorization: Bearer ...`.
///
/// Tokens look like Service Center's JWTs (`header.claims.signature`, claims `account`, `roles`, `exp`) but are
/// verified against the issued-token table, so they are only valid for the simulator that issued them. Expiry
/// reads the simulator clock.
final class TokenAuthority: Sendable {
    private struct Issued: Sendable {
        var account: String
        var expiresAt: Date
    }

    private let settings: RBACSettings
    private let clock: any SimulatorClock
    private let issued = NIOLockedValueBox([String: Issued]())

    /// `DefaultTokenExpirationDuration`.
    static let defaultExpiration = "12h"

    init(settings: RBACSettings, clock: any SimulatorClock) {
        self.settings = settings
        self.clock = clock
    }

    /// `Login`: checks the account and returns a token valid for `expiration` (Go duration, 15m…24h).
    func login(name: String, password: String, expiration: String) throws(ServiceCenterAPIError) -> String {
        let expiration = expiration.isEmpty ? Self.defaultExpiration : expiration
        try StructValidator(typeName: "Account").check(
            "TokenExpirationTime",
            .string(expiration),
            ValidationRule(pattern: .tokenExpirationTime)
        )
        guard name == settings.userName, password == settings.password else {
            throw ServiceCenterAPIError(.userOrPasswordWrong)
        }
        let lifetime = GoDuration.parse(expiration) ?? .seconds(12 * 3600)
        let expiresAt = clock.now().addingTimeInterval(TimeInterval(lifetime.components.seconds))
        let token = Self.makeToken(account: name, expiresAt: expiresAt)
        issued.withLockedValue { $0[token] = Issued(account: name, expiresAt: expiresAt) }
        return token
    }

    /// `VerifyToken`: 401204 without the header, 401201 for a malformed header or unknown token, 401205 once
    /// expired. Like Service Center, only the part after the single space is read; the scheme is not checked.
    func verify(authorization: String) throws(ServiceCenterAPIError) {
        guard !authorization.isEmpty else { throw ServiceCenterAPIError(.noAuthorizationHeader) }
        let parts = authorization.split(separator: " ", omittingEmptySubsequences: false)
        guard parts.count == 2 else { throw ServiceCenterAPIError(.unauthorized, "invalid auth header") }
        let token = String(parts[1])
        guard token.split(separator: ".", omittingEmptySubsequences: false).count == 3 else {
            throw ServiceCenterAPIError(.unauthorized, "token contains an invalid number of segments")
        }
        guard let entry = issued.withLockedValue({ $0[token] }) else {
            throw ServiceCenterAPIError(.unauthorized, "crypto/rsa: verification error")
        }
        // jwt-go: valid while now <= exp, compared in whole seconds.
        if Int64(clock.now().timeIntervalSince1970) > Int64(entry.expiresAt.timeIntervalSince1970) {
            throw ServiceCenterAPIError(.tokenExpired)
        }
    }

    private static func makeToken(account: String, expiresAt: Date) -> String {
        let header = #"{"alg":"RS512","typ":"JWT"}"#
        let claims = GoJSON.object([
            ("account", .string(account)), ("exp", .int(Int64(expiresAt.timeIntervalSince1970))),
            ("roles", .array([.string("admin")])),
        ]).serialized
        let signature = (0..<64).map { _ in UInt8.random(in: 0...255) }
        return [Array(header.utf8), Array(claims.utf8), signature].map(base64URL).joined(separator: ".")
    }

    private static func base64URL(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
