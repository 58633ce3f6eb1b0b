// swift-tools-version: 6.1
import PackageDescription

// Module layering (see ARCHITECTURE.md): BridgeKernel and IstioMapping are pure (no I/O). Plugins (Source*, Sink*)
// sit on the kernel; BridgeTransport wraps the C libraries for every plugin; the `bridge` executable wires it all.
let swiftSettings: [SwiftSetting] = [.swiftLanguageMode(.v6)]

let package = Package(
    name: "MeshBridge",
    platforms: [.macOS(.v14)],
    products: [
        // MARK: Istio CRD schema validation
        .library(name: "IstioSchemaValidation", targets: ["IstioSchemaValidation"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.1.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.6.0"),
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

        // MARK: Tests
        .testTarget(name: "BridgeKernelTests", dependencies: ["BridgeKernel"], swiftSettings: swiftSettings),

        // MARK: Istio CRD schema validation (test support; used by tests and the Kubernetes API simulator)
        .target(
            name: "IstioSchemaValidation",
            dependencies: [
                "BridgeKernel",
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "IstioSchemaValidationTests",
            dependencies: ["IstioSchemaValidation", "BridgeKernel"],
            swiftSettings: swiftSettings
        ),
    ]
)
