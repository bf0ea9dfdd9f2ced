import Foundation
import Synchronization

/// A one-line progress bar on standard error, drawn only when it is a terminal and at most ten
/// times a second.
final class ProgressBar: Sendable {
    private let enabled = isatty(STDERR_FILENO) == 1
    private let lastDraw = Mutex<ContinuousClock.Instant?>(nil)

    func update(fraction: Double, detail: String) {
        guard enabled else { return }
        let now = ContinuousClock.now
        let due = lastDraw.withLock { last -> Bool in
            if let last, now - last < .milliseconds(100), fraction < 1 { return false }
            last = now
            return true
        }
        guard due else { return }
        let width = 30
        let filled = Int((min(max(fraction, 0), 1) * Double(width)).rounded())
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        let percent = Int((fraction * 100).rounded())
        FileHandle.standardError.write(Data("\r\(bar) \(percent)%  \(detail)\u{1B}[K".utf8))
    }

    func finish() {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\n".utf8))
    }
}
