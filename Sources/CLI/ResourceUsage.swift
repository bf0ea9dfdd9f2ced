import Foundation

/// What the process has used so far.
enum ResourceUsage {
    /// Peak resident memory of this process, in MiB (Linux reports `ru_maxrss` in KiB).
    static var peakMemoryMiB: Int {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return usage.ru_maxrss / 1024
    }
}
