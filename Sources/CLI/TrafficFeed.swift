import Foundation
import JobPulseClock
import JobPulseCore
import JobPulseGenerator
import JobPulseLake

/// Moves generated rows into a lake through the same admission as every other input.
struct TrafficFeed: Sendable {
    var generator: TrafficGenerator
    let lake: any EventLake
    var count = IntakeCount()

    /// `total` rows whose arrival times are spread evenly over the `span` before now.
    mutating func backfill(total: Int, span: Duration, progress: ((Int) -> Void)? = nil) async throws {
        let now = WallClock.system.now
        let spanMillis = span.components.seconds * 1000
        var batch = IntakeBatch(origin: "generator")
        for index in 0..<total {
            let arrival = now - spanMillis + Int64(Double(spanMillis) * Double(index) / Double(max(total, 1)))
            batch.admit(fields: generator.nextRow(arrivingAt: arrival), layout: .standard, location: index + 1)
            if batch.events.count + batch.rejections.count >= 10_000 {
                count += try await batch.flush(to: lake)
                progress?(index + 1)
            }
        }
        count += try await batch.flush(to: lake)
        progress?(total)
    }

    /// `rate` rows a second, arriving now, in ten writes a second, until `duration` has passed
    /// (or the task is cancelled). `onWrite` runs after each write (to wake the ETL).
    mutating func live(rate: Double, duration: Duration?, onWrite: (() -> Void)? = nil) async throws {
        let clock = ContinuousClock()
        let start = clock.now
        var written = 0
        var batch = IntakeBatch(origin: "generator")
        while !Task.isCancelled {
            let elapsed = clock.now - start
            if let duration, elapsed >= duration { break }
            let due = Int(rate * Double(elapsed.components.seconds) + rate * Double(elapsed.components.attoseconds) / 1e18)
            let now = WallClock.system.now
            while written < due {
                written += 1
                batch.admit(fields: generator.nextRow(arrivingAt: now), layout: .standard, location: written)
            }
            if !batch.isEmpty {
                count += try await batch.flush(to: lake)
                onWrite?()
            }
            try? await Task.sleep(for: .milliseconds(100))
        }
    }
}
