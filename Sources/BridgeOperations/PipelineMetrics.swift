import BridgeKernel
import Metrics

/// Turns pipeline events into metrics (swift-metrics; exposed in Prometheus format by ``OperationsServer``).
///
/// | metric | type | meaning |
/// | --- | --- | --- |
/// | `meshbridge_source_updates_total{source}` | counter | registry updates received |
/// | `meshbridge_debounce_batch_updates` | histogram | updates merged into one push |
/// | `meshbridge_push_latency_seconds` | histogram | oldest update of a push received → every sink written |
/// | `meshbridge_sink_writes_total{sink,operation}` | counter | objects created, updated, deleted |
/// | `meshbridge_sink_failures_total{sink}` / `meshbridge_sink_rejected_total{sink}` | counter | failed / refused objects |
/// | `meshbridge_desired_objects`, `meshbridge_registry_services`, `meshbridge_registry_instances` | gauge | sizes |
/// | `meshbridge_source_healthy{source}`, `meshbridge_source_synced{source}` | gauge | 1 or 0 |
/// | `meshbridge_leader` | gauge | 1 while this replica leads |
/// | `meshbridge_kubernetes_requests_total{client,method,resource,code}` | counter | API requests (by KubernetesAPI) |
public enum PipelineMetrics {
    /// Records one event.
    public static func record(_ event: PipelineEvent) {
        switch event {
        case .push(let summary, _):
            for (source, count) in summary.updatesBySource {
                Counter(label: "meshbridge_source_updates_total", dimensions: [("source", source)])
                    .increment(by: count)
            }
            if summary.updates > 0 {
                Recorder(label: "meshbridge_debounce_batch_updates", aggregate: true).record(summary.updates)
            }
            Gauge(label: "meshbridge_desired_objects").record(summary.objects)
            Gauge(label: "meshbridge_registry_services").record(summary.services)
            Gauge(label: "meshbridge_registry_instances").record(summary.instances)
            for (source, status) in summary.sources {
                Gauge(label: "meshbridge_source_healthy", dimensions: [("source", source)])
                    .record(status.health.isHealthy ? 1 : 0)
                Gauge(label: "meshbridge_source_synced", dimensions: [("source", source)]).record(status.synced ? 1 : 0)
            }
        case .sinkApplied(let sink, _, let report):
            for (operation, count) in [
                ("created", report.created), ("updated", report.updated), ("deleted", report.deleted),
            ]
            where count > 0 && !report.dryRun {
                Counter(label: "meshbridge_sink_writes_total", dimensions: [("sink", sink), ("operation", operation)])
                    .increment(by: count)
            }
            if !report.failures.isEmpty {
                Counter(label: "meshbridge_sink_failures_total", dimensions: [("sink", sink)])
                    .increment(by: report.failures.count)
            }
            if !report.rejected.isEmpty {
                Counter(label: "meshbridge_sink_rejected_total", dimensions: [("sink", sink)])
                    .increment(by: report.rejected.count)
            }
        case .sinkFailed(let sink, _, _):
            Counter(label: "meshbridge_sink_failures_total", dimensions: [("sink", sink)]).increment()
        case .written(_, let latency):
            Metrics.Timer(label: "meshbridge_push_latency_seconds").record(duration: latency)
        case .pushCancelled:
            break
        }
    }

    /// Records the leadership state.
    public static func recordLeadership(_ leading: Bool) {
        Gauge(label: "meshbridge_leader").record(leading ? 1 : 0)
    }
}
