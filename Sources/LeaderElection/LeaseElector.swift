import BridgeKernel
import Foundation
import KubernetesAPI
import Logging
import Synchronization

/// Leader election on a `coordination.k8s.io/v1` Lease, following client-go's algorithm.
///
/// - Acquire or renew is a compare-and-swap on the Lease's `resourceVersion` (PUT with the version read; a 409
///   means someone else won the round).
/// - A follower counts a lease as expired `leaseDuration` after it *observed* the last change, on its own
///   monotonic clock, never by comparing the holder's `renewTime` with its wall clock (clock skew is harmless).
/// - Fencing: the leader closes the write gate the moment `renewDeadline` has passed since its last successful
///   renewal — even while a renewal request hangs — which is before any follower can count the lease as expired
///   (`leaseDuration > renewDeadline`).
/// - ``release()`` writes an empty holder so a follower takes over without waiting for expiry.
/// - The elector has its own ``KubernetesClient`` (own rate limit and connections), so renewals never queue
///   behind the sinks' bulk writes.
public final class LeaseElector: LeadershipCampaign {
    private struct Observation {
        var lease: JSONValue?
        var record: JSONValue?
        var observedAt: ContinuousClock.Instant?
        var holder = ""
    }

    /// The settings.
    public let settings: LeaseElectionSettings
    private let client: KubernetesClient
    private let logger: Logger
    private let observation = Mutex(Observation())
    private let leading = Mutex(false)

    /// Creates an elector with its own API client.
    public init(settings: LeaseElectionSettings, logger: Logger) {
        self.settings = settings
        var electionLogger = logger
        electionLogger[metadataKey: "lease"] = "\(settings.namespace)/\(settings.name)"
        self.logger = electionLogger
        self.client = KubernetesClient(
            connection: settings.connection,
            configuration: KubernetesClient.Configuration(
                qps: settings.qps, burst: settings.burst, requestTimeout: settings.renewDeadline,
                retry: .none, userAgent: "meshbridge-leader-election (\(settings.identity))",
                metricsClient: "leader-election"),
            logger: electionLogger)
    }

    public var description: String { "lease \(settings.namespace)/\(settings.name) as \(settings.identity)" }

    public func run(gate: LeadershipGate) async {
        defer {
            gate.set(false)
            leading.withLock { $0 = false }
        }
        logger.info("leader election: campaigning for \(description)")
        while !Task.isCancelled {
            // Acquire: retry every retryPeriod (with up to 20 % jitter) until this replica holds the lease.
            var acquiredAt = ContinuousClock.now
            while !Task.isCancelled {
                acquiredAt = .now
                if await tryAcquireOrRenew() { break }
                guard await pause(settings.retryPeriod * (1 + Double.random(in: 0..<0.2))) else { return }
            }
            if Task.isCancelled { return }
            leading.withLock { $0 = true }
            gate.set(true)
            logger.notice("leader election: this replica (\(settings.identity)) is now the leader")

            // Renew every retryPeriod; give up the moment renewDeadline has passed since the last success.
            var lastRenewal = acquiredAt
            while !Task.isCancelled {
                guard await pause(settings.retryPeriod) else { return }
                let deadline = lastRenewal + settings.renewDeadline
                if let renewedAt = await renew(before: deadline) {
                    lastRenewal = renewedAt
                    continue
                }
                if Task.isCancelled { return }
                gate.set(false)
                leading.withLock { $0 = false }
                logger.error(
                    "leader election: could not renew the lease within renewDeadline (\(DurationSyntax.format(settings.renewDeadline))); stopped writing and campaigning again"
                )
                break
            }
        }
    }

    public func release() async {
        guard leading.withLock({ $0 }) || observation.withLock({ $0.holder == settings.identity }) else { return }
        leading.withLock { $0 = false }
        do throws(KubernetesAPIError) {
            var lease = try await client.get(.leases, namespace: settings.namespace, name: settings.name)
            guard lease["spec"]?["holderIdentity"]?.stringValue == settings.identity else { return }
            let now = MicroTime.format(Date())
            var spec = lease["spec"]?.objectValue ?? [:]
            spec["holderIdentity"] = ""
            spec["leaseDurationSeconds"] = 1
            spec["renewTime"] = .string(now)
            spec["acquireTime"] = .string(now)
            lease["spec"] = .object(spec)
            _ = try await client.update(
                .leases, namespace: settings.namespace, name: settings.name, object: lease, retry: false)
            logger.notice("leader election: released the lease")
        } catch {
            logger.warning("leader election: could not release the lease: \(error); followers take over on expiry")
        }
    }

    /// Stops the HTTP client.
    public func shutdown() async {
        await client.shutdown()
    }

    // MARK: The algorithm

    /// Tries to renew, repeating every retryPeriod, until `deadline`; returns when the successful attempt started.
    private func renew(before deadline: ContinuousClock.Instant) async -> ContinuousClock.Instant? {
        await withTaskGroup(of: ContinuousClock.Instant?.self) { group in
            group.addTask {
                while !Task.isCancelled {
                    let started = ContinuousClock.now
                    if await self.tryAcquireOrRenew() { return started }
                    let next = ContinuousClock.now + self.settings.retryPeriod
                    guard next < deadline, await self.pause(self.settings.retryPeriod) else { return nil }
                }
                return nil
            }
            group.addTask {
                try? await Task.sleep(until: deadline, clock: .continuous)
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
    }

    /// One round: create the Lease, take it over when it expired by this replica's observation, or renew it.
    private func tryAcquireOrRenew() async -> Bool {
        let wall = MicroTime.format(Date())
        let now = ContinuousClock.now
        let lease: JSONValue
        do throws(KubernetesAPIError) {
            lease = try await client.get(.leases, namespace: settings.namespace, name: settings.name)
        } catch  where error.code == .notFound {
            return await create(at: wall, now: now)
        } catch {
            logger.debug("leader election: reading the lease failed: \(error)")
            return false
        }
        let record = lease["spec"] ?? [:]
        let holder = record["holderIdentity"]?.stringValue ?? ""
        let observedAt = observation.withLock { state -> ContinuousClock.Instant in
            if state.record != record || state.observedAt == nil {
                if state.holder != holder, !holder.isEmpty, holder != settings.identity {
                    logger.info("leader election: the lease is held by \(holder)")
                }
                state.record = record
                state.observedAt = now
                state.holder = holder
            }
            state.lease = lease
            return state.observedAt ?? now
        }
        let duration = Duration.seconds(record["leaseDurationSeconds"]?.intValue ?? 0)
        if !holder.isEmpty, holder != settings.identity, observedAt + duration > now {
            return false
        }
        var spec = record.objectValue ?? [:]
        if holder != settings.identity {
            spec["leaseTransitions"] = .int((record["leaseTransitions"]?.intValue ?? 0) + 1)
            spec["acquireTime"] = .string(wall)
        }
        spec["holderIdentity"] = .string(settings.identity)
        spec["renewTime"] = .string(wall)
        spec["leaseDurationSeconds"] = .int(settings.leaseDuration.components.seconds)
        var updated = lease
        updated["spec"] = .object(spec)
        do throws(KubernetesAPIError) {
            let stored = try await client.update(
                .leases, namespace: settings.namespace, name: settings.name, object: updated, retry: false)
            remember(stored, at: now)
            return true
        } catch {
            logger.debug("leader election: updating the lease failed: \(error)")
            return false
        }
    }

    private func create(at wall: String, now: ContinuousClock.Instant) async -> Bool {
        let lease: JSONValue = [
            "apiVersion": "coordination.k8s.io/v1", "kind": "Lease",
            "metadata": ["name": .string(settings.name), "namespace": .string(settings.namespace)],
            "spec": [
                "holderIdentity": .string(settings.identity),
                "leaseDurationSeconds": .int(settings.leaseDuration.components.seconds),
                "acquireTime": .string(wall), "renewTime": .string(wall), "leaseTransitions": 0,
            ],
        ]
        do throws(KubernetesAPIError) {
            let stored = try await client.create(.leases, namespace: settings.namespace, object: lease, retry: false)
            remember(stored, at: now)
            return true
        } catch {
            logger.debug("leader election: creating the lease failed: \(error)")
            return false
        }
    }

    private func remember(_ lease: JSONValue, at now: ContinuousClock.Instant) {
        observation.withLock { state in
            state.lease = lease
            state.record = lease["spec"]
            state.observedAt = now
            state.holder = settings.identity
        }
    }

    /// Sleeps; `false` when cancelled.
    private func pause(_ duration: Duration) async -> Bool {
        do {
            try await Task.sleep(for: duration)
            return true
        } catch {
            return false
        }
    }
}
