import NIOCore
import NIOSSL

/// Reads the verified client certificate of a TLS connection and maps it to a user the way the apiserver's
/// x509 authenticator does: subject CN is the user name, O entries are groups.
enum ClientCertificateIdentity {
    static func user(on channel: any Channel) async -> KubeUser? {
        let future = channel.eventLoop.submit { () -> KubeUser? in
            guard let handler = try? channel.pipeline.syncOperations.handler(type: NIOSSLServerHandler.self),
                let certificate = handler.peerCertificate
            else { return nil }
            let names = certificate.subjectName
            guard let commonName = names.first(where: { $0.type == .commonName })?.value, !commonName.isEmpty else {
                return nil
            }
            return KubeUser(name: commonName, groups: names.filter { $0.type == .organization }.map(\.value))
        }
        return try? await future.get()
    }
}
