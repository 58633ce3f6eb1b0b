// swift-tools-version: 6.1
import PackageDescription

// Module layering (see ARCHITECTURE.md): BridgeKernel and IstioMapping are pure (no I/O). Plugins (Source*, Sink*)
// sit on the kernel; BridgeTransport wraps the C libraries for every plugin; the `bridge` executable wires it all.
let swiftSettings: [SwiftSetting] = [.swiftLanguageMode(.v6)]

let package = Package(
    name: "MeshBridge",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "bridge", targets: ["bridge"]),
        // MARK: Kubernetes API server simulator (products)
        .library(name: "KubeSimulator", targets: ["KubeSimulator"]),
        .executable(name: "bridge-sim", targets: ["bridge-sim"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.1.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.6.0"),
        .package(url: "https://github.com/pointfreeco/swift-clocks", from: "1.0.0"),
        // MARK: Kubernetes API server simulator (dependencies)
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.0"),
    ],
    targets: [
        // MARK: Pure core
        .target(
            name: "BridgeKernel",
            dependencies: [
                .product(name: "Logging", package: "swift-log"),
                .product(name: "OrderedCollections", package: "swift-collections"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: swiftSettings
        ),

        .target(
            name: "IstioMapping",
            dependencies: ["BridgeKernel"],
            swiftSettings: swiftSettings
        ),

        // MARK: Test support: the real Istio CRD schemas (OpenAPI + CEL rules), also used by the Kubernetes simulator
        .target(
            name: "IstioSchemaValidation",
            dependencies: [
                "BridgeKernel",
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: swiftSettings
        ),

        // MARK: Plugins
        .target(name: "SourceStatic", dependencies: ["BridgeKernel"], swiftSettings: swiftSettings),
        .target(
            name: "SinkFile",
            dependencies: [
                "BridgeKernel",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: swiftSettings
        ),

        // MARK: Command-line interface
        .executableTarget(
            name: "bridge",
            dependencies: [
                "BridgeKernel", "IstioMapping", "SourceStatic", "SinkFile",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),

        // MARK: Kubernetes API server simulator
        .target(
            name: "KubeSimulator",
            dependencies: [
                "BridgeKernel", "IstioSchemaValidation",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "bridge-sim",
            dependencies: [
                "KubeSimulator",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "KubeSimulatorTests",
            dependencies: [
                "KubeSimulator", "BridgeKernel", "bridge-sim",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),

        // MARK: Tests
        .testTarget(
            name: "BridgeKernelTests",
            dependencies: ["BridgeKernel", .product(name: "Clocks", package: "swift-clocks")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "IstioMappingTests",
            dependencies: ["IstioMapping", "IstioSchemaValidation"],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "SinkFileTests", dependencies: ["SinkFile", "IstioMapping"], swiftSettings: swiftSettings),
        .testTarget(
            name: "BridgeEndToEndTests",
            dependencies: ["bridge", "IstioSchemaValidation", "BridgeKernel"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "IstioSchemaValidationTests",
            dependencies: ["IstioSchemaValidation", "BridgeKernel"],
            swiftSettings: swiftSettings
        ),
    ]
)
