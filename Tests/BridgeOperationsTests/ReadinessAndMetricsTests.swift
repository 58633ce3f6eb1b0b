import BridgeKernel
import BridgeOperations
import Testing

@Suite struct ReadinessAndMetricsTests {
    func summary(revision: Int, synced: Bool, healthy: Bool = true) -> PushSummary {
        var status = SourceStatus()
        status.synced = synced
        status.health = healthy ? .healthy : .unhealthy(reason: "connection refused")
        return PushSummary(
            revision: revision, updates: 3, updatesBySource: ["sc": 3], servicesChanged: 1, services: 2, instances: 5,
            groups: 2, objects: 7, pruneAllowed: synced && healthy, sources: ["sc": status])
    }

    @Test func leaderIsReadyOnlyAfterTheFirstFullListingHasBeenWritten() {
        let gate = LeadershipGate(leading: true)
        let readiness = ReadinessState(leadership: gate, sinkCount: 1)
        #expect(readiness.status.ready == false)
        #expect(readiness.status.detail.contains("waiting for the first full listing"))

        readiness.observe(.push(summary(revision: 1, synced: true), []))
        #expect(readiness.status.ready == false)
        #expect(readiness.status.detail.contains("waiting for the first push to be written"))

        readiness.observe(.written(revision: 1, latency: .milliseconds(20)))
        #expect(readiness.status == (true, "ready (leader); sc: synced, healthy"))

        // A later outage is reported in the detail but does not flip readiness.
        readiness.observe(.push(summary(revision: 2, synced: true, healthy: false), []))
        #expect(readiness.status.ready)
        #expect(readiness.status.detail.contains("unhealthy (connection refused)"))
    }

    @Test func followerIsReadyOnceItsCachesAreWarm() {
        let gate = LeadershipGate(leading: false)
        let readiness = ReadinessState(leadership: gate, sinkCount: 1)
        readiness.observe(.push(summary(revision: 1, synced: false), []))
        #expect(readiness.status.ready == false)
        readiness.observe(.push(summary(revision: 2, synced: true), []))
        #expect(readiness.status == (true, "ready (follower); sc: synced, healthy"))
    }

    @Test func pipelineEventsBecomePrometheusMetrics() {
        OperationsServer.bootstrapMetrics()
        PipelineMetrics.record(.push(summary(revision: 1, synced: true), []))
        PipelineMetrics.record(
            .sinkApplied(
                sink: "metrics-test", revision: 1,
                report: SinkReport(created: 2, updated: 1, failures: ["x"], rejected: ["y", "z"])))
        PipelineMetrics.record(
            .sinkApplied(sink: "metrics-dry-run", revision: 1, report: SinkReport(created: 5, dryRun: true)))
        PipelineMetrics.record(.written(revision: 1, latency: .milliseconds(30)))
        PipelineMetrics.recordLeadership(true)

        let text = OperationsServer.registry.emitToString()
        for line in [
            #"meshbridge_sink_writes_total{sink="metrics-test",operation="created"} 2"#,
            #"meshbridge_sink_writes_total{sink="metrics-test",operation="updated"} 1"#,
            #"meshbridge_sink_failures_total{sink="metrics-test"} 1"#,
            #"meshbridge_sink_rejected_total{sink="metrics-test"} 2"#,
            #"meshbridge_source_synced{source="sc"} 1.0"#,
            #"meshbridge_registry_instances 5.0"#,
            "meshbridge_leader 1.0",
            "# TYPE meshbridge_push_latency_seconds histogram",
        ] {
            #expect(text.contains(line), "missing \(line)")
        }
        #expect(!text.contains(#"sink="metrics-dry-run""#), "dry runs write nothing, so they count nothing")
    }
}
