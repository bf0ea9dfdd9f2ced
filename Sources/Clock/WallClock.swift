import Foundation
import Synchronization

/// The time of day in epoch milliseconds UTC, the one seam through which JobPulse reads it: the
/// lakes (key windows, Cassandra's cutoff and buckets), the warehouse (leases), the ETL (data
/// age, lease waits) and the server (data age, commit times) each take one, and the composition
/// root gives them all ``system``. Tests give them a ``ManualWallClock`` instead and move it, so
/// that expiries and ages are tested without sleeping.
public struct WallClock: Sendable {
    private let read: @Sendable () -> Int64

    public init(_ read: @escaping @Sendable () -> Int64) {
        self.read = read
    }

    /// Now, in whole milliseconds since 1970-01-01T00:00Z, rounded down.
    public var now: Int64 { read() }

    /// This machine's clock.
    public static let system = WallClock { Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)) }
}

/// A clock that stands still until it is moved: for tests.
public final class ManualWallClock: Sendable {
    private let value: Mutex<Int64>

    public init(_ start: Int64) {
        value = Mutex(start)
    }

    public var now: Int64 { value.withLock { $0 } }

    public func advance(milliseconds: Int64) {
        value.withLock { $0 += milliseconds }
    }

    public func advance(seconds: Double) {
        advance(milliseconds: Int64(seconds * 1000))
    }

    /// The clock to give to what is tested.
    public var wallClock: WallClock { WallClock { self.now } }
}
