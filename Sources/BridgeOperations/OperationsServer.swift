import BridgeKernel
import Hummingbird
import Logging
import Metrics
import Prometheus
import Synchronization

/// The operator endpoints, served over HTTP by Hummingbird as a swift-service-lifecycle service:
///
/// - `GET /healthz`: 200 `ok` while the process runs.
/// - `GET /readyz`: 200 when ``ReadinessState`` says ready, else 503; the body explains.
/// - `GET /metrics`: every metric in the Prometheus text format.
public struct OperationsServer: Sendable {
    /// The registry behind `/metrics`; ``bootstrapMetrics()`` makes it the process-wide swift-metrics backend.
    public static let registry = PrometheusCollectorRegistry()
    private static let bootstrapped = Mutex(false)

    /// Makes swift-metrics report into ``registry`` (once per process).
    public static func bootstrapMetrics() {
        let first = bootstrapped.withLock { done -> Bool in
            defer { done = true }
            return !done
        }
        guard first else { return }
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultValueHistogramBuckets = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000]
        factory.defaultDurationHistogramBuckets = [
            .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250),
            .milliseconds(500), .seconds(1), .milliseconds(2500), .seconds(5), .seconds(10), .seconds(30),
        ]
        MetricsSystem.bootstrap(factory)
    }

    /// Builds the Hummingbird application; `onListening` receives the bound port (useful with port 0).
    public static func application(
        settings: OperationsSettings, readiness: ReadinessState, logger: Logger,
        onListening: @escaping @Sendable (Int) -> Void = { _ in }
    ) -> some ApplicationProtocol {
        let router = Router()
        router.get("healthz") { _, _ in
            "ok\n"
        }
        router.get("readyz") { _, _ -> Response in
            let (ready, detail) = readiness.status
            return Response(
                status: ready ? .ok : .serviceUnavailable, headers: [.contentType: "text/plain; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: detail + "\n")))
        }
        router.get("metrics") { _, _ -> Response in
            Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer())))
        }
        return Application(
            router: router,
            configuration: ApplicationConfiguration(
                address: .hostname(settings.host, port: settings.port), serverName: nil),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? settings.port
                logger.info("operations endpoints listening on \(settings.host):\(port) (/healthz, /readyz, /metrics)")
                onListening(port)
            },
            logger: logger)
    }
}
