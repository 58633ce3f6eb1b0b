/// A leader election: competes for leadership and reports it through a ``LeadershipGate``.
///
/// Implementations must stop leading (set the gate to false) *before* another replica can take over when they
/// cannot confirm their leadership in time, and release leadership on ``release()`` so a follower takes over at once.
public protocol LeadershipCampaign: Sendable {
    /// A short description for logs (`lease meshbridge/meshbridge as host_123`).
    var description: String { get }

    /// Campaigns until the task is cancelled, setting `gate` whenever leadership is won or lost. Leaves the gate
    /// closed (not leading) when it returns.
    func run(gate: LeadershipGate) async

    /// Gives leadership up if held, so another replica can take over without waiting for expiry.
    func release() async
}
