import Foundation
import Testing

@testable import KubeSimulator

/// The timestamp formatter is integer arithmetic; Foundation's calendar is the reference it must agree with.
@Suite("Kubernetes timestamps")
struct KubeTimeTests {
    private static func reference(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(secondsFromGMT: 0)
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }

    @Test func secondsAgreeWithFoundationAcrossLeapYearsCenturiesAndBeforeTheEpoch() {
        var instants: [TimeInterval] = [
            0, -1, 59, 86_399, 86_400, 951_782_400, 951_868_799, 4_107_542_399, -2_208_988_800, 1_798_761_599,
        ]
        // A day and a bit over 600 years, so every month, leap day and century rule is crossed.
        var instant: TimeInterval = -5_000_000_000
        while instant < 14_000_000_000 {
            instants.append(instant)
            instant += 86_400 * 37 + 3_671
        }
        for instant in instants {
            let date = Date(timeIntervalSince1970: instant)
            #expect(KubeTime.seconds(date) == Self.reference(date), "\(instant)")
        }
    }

    @Test func microTimeHasSixFractionalDigits() {
        #expect(KubeTime.micro(Date(timeIntervalSince1970: 1_700_000_000.25)) == "2023-11-14T22:13:20.250000Z")
        #expect(KubeTime.micro(Date(timeIntervalSince1970: 1_700_000_000)) == "2023-11-14T22:13:20.000000Z")
    }
}
