import JobPulseClock
import JobPulseCore

/// Rows on their way into a lake, sorted into accepted events and rejections by the admission
/// rule (a readable `ts`, not too far ahead of this machine's clock). Every path into the lake
/// (file import, generator, HTTP collector) goes through it, so they all count `received = accepted + rejected` alike.
public struct IntakeBatch: Sendable {
    public let origin: String
    public private(set) var events: [AdmittedEvent] = []
    public private(set) var rejections: [Rejection] = []

    public let admission: Admission
    /// What "ahead" is measured from.
    let clock: WallClock

    /// `futureTolerance`: how far ahead of `clock` a ts may be, in milliseconds.
    public init(origin: String, futureTolerance: Int64 = Admission.defaultFutureTolerance, clock: WallClock = .system) {
        self.origin = origin
        self.admission = Admission(futureTolerance: futureTolerance)
        self.clock = clock
    }

    public var count: IntakeCount { IntakeCount(accepted: events.count, rejected: rejections.count) }
    public var isEmpty: Bool { events.isEmpty && rejections.isEmpty }

    /// Admits `event`, or rejects it with the reason; `raw` renders the row for the quarantine.
    public mutating func admit(_ event: RawEvent, location: Int, raw: () -> String) {
        switch admission.admit(event, now: clock.now) {
        case .success(let admitted): events.append(admitted)
        case .failure(let error): reject(location: location, reason: error.description, raw: raw())
        }
    }

    /// Admits the fields of one CSV row laid out as `layout`.
    public mutating func admit(fields: [String], layout: TrackingCSVLayout, location: Int) {
        switch layout.event(from: fields) {
        case .failure(let error): reject(location: location, reason: error.description, raw: CSVWriter.line(fields))
        case .success(let event): admit(event, location: location, raw: { CSVWriter.line(fields) })
        }
    }

    public mutating func reject(location: Int, reason: String, raw: String) {
        rejections.append(Rejection(origin: origin, location: location, reason: reason, raw: raw))
    }

    /// Writes everything to `lake` in one transaction and empties the batch.
    public mutating func flush(to lake: any EventLake) async throws -> IntakeCount {
        let written = count
        _ = try await lake.write([LakeWrite(events: events, rejections: rejections)])
        events.removeAll(keepingCapacity: true)
        rejections.removeAll(keepingCapacity: true)
        return written
    }

    /// Like ``flush(to:)``, for an intake named by `key`: when the lake has recorded the key
    /// within its window, nothing is stored and the answer is the receipt recorded then
    /// (`replayed`); otherwise everything is stored with the key and this batch's receipt, which
    /// keeps `fingerprint` so that a key reused for other content can be recognised. Either way
    /// the batch is emptied.
    public mutating func flush(
        to lake: any EventLake, key: IntakeKey, fingerprint: String?
    ) async throws
        -> (receipt: IntakeReceipt, replayed: Bool)
    {
        let write = LakeWrite(events: events, rejections: rejections, key: key, fingerprint: fingerprint)
        let outcome = try await lake.write([write])
        events.removeAll(keepingCapacity: true)
        rejections.removeAll(keepingCapacity: true)
        if case .replayed(let first)? = outcome.first { return (first, true) }
        return (write.receipt, false)
    }
}
