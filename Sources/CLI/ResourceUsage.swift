import Foundation

/// What the process has used so far.
enum ResourceUsage {
    /// Peak resident memory of this process, in MiB: Linux's `VmHWM`. (`ru_maxrss` would do
    /// elsewhere, but on Linux it starts from the parent's size at fork, so a child of a large
    /// process, such as the bench's, would report its parent's memory.)
    static var peakMemoryMiB: Int {
        if let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
            let kilobytes = Int(line.dropFirst("VmHWM:".count).filter(\.isNumber))
        {
            return kilobytes / 1024
        }
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return usage.ru_maxrss / 1024
    }
}
