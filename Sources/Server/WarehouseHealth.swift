import JobPulseClock
import JobPulseWarehouse
import Synchronization

/// The warehouse's part of `/healthz` (the ETL's committed state and the row count), read at most
/// once a second in the background and answered from the last reading, so that a probe never
/// waits for a connection that the dashboard's reads hold.
///
/// The reading is at most ``refreshAfter`` old plus one read when the probes come often; a probe
/// after a longer quiet (``waitAfter``) waits for a new one. A failed read is a reading too: the
/// probes report the warehouse down until a later read succeeds.
final class WarehouseHealth: Sendable {
    struct Reading: Sendable {
        let state: ETLState?
        let rows: Int64
    }

    typealias Read = @Sendable () async throws -> Reading

    /// Older than this, a reading is answered and read again beside.
    static let refreshAfter: Int64 = 1_000
    /// Older than this, a reading is no longer answered: the probe waits for a new one.
    static let waitAfter: Int64 = 10_000

    private let read: Read
    private let clock: WallClock
    private let held = Mutex<(last: (at: Int64, result: Result<Reading, any Error>)?, reading: Task<Result<Reading, any Error>, Never>?)>(
        (nil, nil))

    init(clock: WallClock, read: @escaping Read) {
        self.read = read
        self.clock = clock
    }

    /// The state of `source` and the row count of `warehouse`.
    convenience init(warehouse: any DashboardWarehouse, source: String, clock: WallClock) {
        self.init(clock: clock) { Reading(state: try await warehouse.state(source: source), rows: Int64(try await warehouse.factCount())) }
    }

    func reading() async -> Result<Reading, any Error> {
        let now = clock.now
        let (kept, pending) = held.withLock { held -> (Result<Reading, any Error>?, Task<Result<Reading, any Error>, Never>?) in
            if held.reading == nil, held.last.map({ now - $0.at >= Self.refreshAfter }) ?? true {
                // A task of its own: a probe that goes away must not cancel what the others wait for.
                held.reading = Task {
                    let result: Result<Reading, any Error>
                    do { result = .success(try await self.read()) } catch { result = .failure(error) }
                    let at = self.clock.now
                    self.held.withLock { $0 = ((at, result), nil) }
                    return result
                }
            }
            if let last = held.last, now - last.at < Self.waitAfter { return (last.result, nil) }
            return (nil, held.reading)
        }
        if let kept { return kept }
        return await pending!.value
    }
}
