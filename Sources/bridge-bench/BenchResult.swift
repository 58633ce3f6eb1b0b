import Foundation

/// One scenario's measurements.
struct BenchResult {
    var scenario: String
    var seconds: Double
    var peakRSSBytes: Int
    var counters: [String: Double]

    var json: [String: Any] {
        ["scenario": scenario, "seconds": seconds, "peakRSSBytes": peakRSSBytes, "counters": counters]
    }

    var jsonLine: String {
        let data = try! JSONSerialization.data(withJSONObject: json, options: [.sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }

    init(scenario: String, seconds: Double, peakRSSBytes: Int, counters: [String: Double]) {
        self.scenario = scenario
        self.seconds = seconds
        self.peakRSSBytes = peakRSSBytes
        self.counters = counters
    }

    init?(jsonLine: String) {
        guard let object = try? JSONSerialization.jsonObject(with: Data(jsonLine.utf8)) as? [String: Any],
            let scenario = object["scenario"] as? String, let seconds = object["seconds"] as? Double,
            let rss = object["peakRSSBytes"] as? Int
        else { return nil }
        self.init(
            scenario: scenario, seconds: seconds, peakRSSBytes: rss,
            counters: object["counters"] as? [String: Double] ?? [:])
    }

    static func table(_ results: [BenchResult]) -> String {
        var lines = ["| scenario | time | peak RSS | details |", "| --- | ---: | ---: | --- |"]
        for result in results {
            let details = result.counters.keys.sorted().map { key -> String in
                let value = result.counters[key]!
                return "\(key)=" + (value.rounded() == value ? String(Int(value)) : String(format: "%.3f", value))
            }.joined(separator: " ")
            lines.append(
                "| \(result.scenario) | \(String(format: "%.3f s", result.seconds)) | \(String(format: "%.1f MB", Double(result.peakRSSBytes) / 1_000_000)) | \(details) |"
            )
        }
        return lines.joined(separator: "\n")
    }
}
