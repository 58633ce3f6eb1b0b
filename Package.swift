// swift-tools-version: 6.1
import PackageDescription

// Module layering (see ARCHITECTURE.md): BridgeKernel and IstioMapping are pure (no I/O). Plugins (Source*, Sink*)
// sit on the kernel; BridgeTransport wraps the C libraries for every plugin; the `bridge` executable wires it all.
// Simulators and test support are never imported by the bridge itself.
let swiftSettings: [SwiftSetting] = [.swiftLanguageMode(.v6)]

let package = Package(
    name: "MeshBridge",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "bridge", targets: ["bridge"]),
        .executable(name: "bridge-sim", targets: ["bridge-sim"]),
        .executable(name: "bridge-bench", targets: ["bridge-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.1.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.6.0"),
        // Simulators (HTTP/WebSocket servers over real sockets)
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.24.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket", from: "2.8.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.80.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.30.0"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.24.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.3.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.0"),
        // Operator endpoints: metrics API and its Prometheus exposition
        .package(url: "https://github.com/apple/swift-metrics", from: "2.5.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.0.0"),
    ],
    targets: [
        // MARK: Pure core
        .target(
            name: "BridgeKernel",
            dependencies: [
                .product(name: "Logging", package: "swift-log"),
                .product(name: "HeapModule", package: "swift-collections"),
                .product(name: "OrderedCollections", package: "swift-collections"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(name: "IstioMapping", dependencies: ["BridgeKernel"], swiftSettings: swiftSettings),

        // MARK: Transport: thin C shims for libcurl and libwebsockets, and the one Swift layer every plugin uses
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "CLibWebSockets", pkgConfig: "libwebsockets", providers: [.apt(["libwebsockets-dev"])]),
        .target(
            name: "BridgeTransport",
            dependencies: ["CCurl", "CLibWebSockets", .product(name: "Logging", package: "swift-log")],
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

        // MARK: Kubernetes API client (kubeconfig, REST, apply, watch) and the live Istio sink
        .target(
            name: "KubernetesAPI",
            dependencies: [
                "BridgeKernel", "BridgeTransport", .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"), .product(name: "CoreMetrics", package: "swift-metrics"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "SinkIstio",
            dependencies: [
                "BridgeKernel", "IstioMapping", "KubernetesAPI", .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "LeaderElection",
            dependencies: ["BridgeKernel", "KubernetesAPI", .product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "BridgeOperationsTests",
            dependencies: ["BridgeOperations", "BridgeKernel"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SinkIstioTests",
            dependencies: [
                "SinkIstio", "KubernetesAPI", "KubeSimulator", "IstioMapping", "BridgeKernel", "BridgeTransport",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),

        // MARK: Operator endpoints (/healthz, /readyz, /metrics) and the pipeline's metrics
        .target(
            name: "BridgeOperations",
            dependencies: [
                "BridgeKernel",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),

        // MARK: Source plugin: Apache ServiceComb Service Center
        .target(
            name: "SourceServiceCenter",
            dependencies: ["BridgeKernel", "BridgeTransport", .product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SourceServiceCenterTests",
            dependencies: [
                "SourceServiceCenter", "ServiceCenterSimulator", "BridgeKernel",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),

        // MARK: Command-line interface
        .executableTarget(
            name: "bridge",
            dependencies: [
                "BridgeKernel", "IstioMapping", "SourceStatic", "SinkFile", "SinkIstio", "LeaderElection", "BridgeOperations",
                "SourceServiceCenter",
                "ServiceCenterSimulator",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),

        // MARK: Test support: the real Istio CRD schemas (OpenAPI + CEL rules), also used by the Kubernetes simulator
        .target(
            name: "IstioSchemaValidation",
            dependencies: ["BridgeKernel", .product(name: "Yams", package: "Yams")],
            swiftSettings: swiftSettings
        ),

        // MARK: Simulators (Apache ServiceComb Service Center v4 REST + WebSocket)
        .target(
            name: "ServiceCenterSimulator",
            dependencies: [
                "BridgeKernel",
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "NIOHTTPTypesHTTP1", package: "swift-nio-extras"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "DequeModule", package: "swift-collections"),
            ],
            swiftSettings: swiftSettings
        ),
        // MARK: Simulators (kube-apiserver for Istio kinds and Leases; kubectl works against it)
        .target(
            name: "KubeSimulator",
            dependencies: [
                "BridgeKernel", "IstioSchemaValidation",
                .product(name: "DequeModule", package: "swift-collections"),
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
                "ServiceCenterSimulator", "KubeSimulator",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),

        // MARK: Benchmarks (run with -c release)
        .executableTarget(
            name: "bridge-bench",
            dependencies: [
                "BridgeKernel", "IstioMapping", "SinkFile", "SinkIstio", "KubernetesAPI", "BridgeTransport",
                "SourceServiceCenter",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),

        // MARK: Tests
        .testTarget(name: "BridgeKernelTests", dependencies: ["BridgeKernel"], swiftSettings: swiftSettings),
        .testTarget(
            name: "BridgeTransportTests",
            dependencies: [
                "BridgeTransport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "IstioMappingTests",
            dependencies: ["IstioMapping", "IstioSchemaValidation"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SinkFileTests",
            dependencies: [
                "SinkFile", "IstioMapping",
                // MARK: perf (issue #6): libyaml as the oracle for the hand-written YAML writer
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "IstioSchemaValidationTests",
            dependencies: ["IstioSchemaValidation", "BridgeKernel"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ServiceCenterSimulatorTests",
            dependencies: [
                "ServiceCenterSimulator",
                "BridgeKernel",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "KubeSimulatorTests",
            dependencies: [
                "KubeSimulator", "BridgeKernel", "IstioSchemaValidation", "bridge-sim",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "BridgeEndToEndTests",
            dependencies: ["bridge", "IstioSchemaValidation", "BridgeKernel"],
            swiftSettings: swiftSettings
        ),
    ]
)
