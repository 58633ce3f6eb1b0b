import Foundation

/// What the simulator says about itself: the `GET /version` document and its own `SERVICECENTER` registration.
public struct ServerIdentity: Sendable {
    /// Service Center version (also the version of the `SERVICECENTER` service).
    public var version: String
    /// Build tag.
    public var buildTag: String
    /// Go runtime version reported by `/version`.
    public var goVersion: String
    /// `runtime.GOOS`.
    public var operatingSystem: String
    /// `runtime.GOARCH`.
    public var architecture: String
    /// Environment of the `SERVICECENTER` service (`production`, or `development` in a dev profile).
    public var environment: String
    /// Host name of the `SERVICECENTER` instance.
    public var hostName: String

    /// Creates an identity; defaults describe a Service Center 2.2.0 on linux/amd64.
    public init(
        version: String = "2.2.0",
        buildTag: String = "servicecenter-simulator",
        goVersion: String = "go1.21.13",
        operatingSystem: String = "linux",
        architecture: String = "amd64",
        environment: String = "production",
        hostName: String = ProcessInfo.processInfo.hostName
    ) {
        self.version = version
        self.buildTag = buildTag
        self.goVersion = goVersion
        self.operatingSystem = operatingSystem
        self.architecture = architecture
        self.environment = environment
        self.hostName = hostName
    }
}
