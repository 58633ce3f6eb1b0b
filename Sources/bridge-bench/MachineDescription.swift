import Foundation

/// The machine a benchmark ran on.
struct MachineDescription {
    var cores: Int
    var memoryBytes: UInt64
    var cpuModel: String

    static func current() -> MachineDescription {
        let cpuInfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        let model =
            cpuInfo.split(separator: "\n").first { $0.hasPrefix("model name") }
            .map { $0.split(separator: ":", maxSplits: 1).last.map { $0.trimmingCharacters(in: .whitespaces) } ?? "" }
            ?? "unknown"
        return MachineDescription(
            cores: ProcessInfo.processInfo.activeProcessorCount, memoryBytes: ProcessInfo.processInfo.physicalMemory,
            cpuModel: model)
    }

    var summary: String {
        "\(cores) cores, \(memoryBytes / 1_073_741_824) GiB, \(cpuModel)"
    }

    var json: [String: Any] { ["cores": cores, "memoryBytes": memoryBytes, "cpuModel": cpuModel] }
}

/// Peak resident set size of this process (`VmHWM`), in bytes.
func peakRSSBytes() -> Int {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
        let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") })
    else { return 0 }
    let kilobytes = line.split(separator: " ").compactMap { Int($0) }.first ?? 0
    return kilobytes * 1024
}

/// CPU time (user and system, all threads) this process has used, in seconds. Unlike wall time it does not grow
/// when other work competes for the cores, so it shows the work done even on a busy machine.
func processCPUSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
    return seconds(usage.ru_utime) + seconds(usage.ru_stime)
}
