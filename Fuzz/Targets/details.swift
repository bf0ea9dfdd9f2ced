// `ed`: the event details and the whole normalization of an event built from the input. The
// first byte picks where the rest goes (ed alone, or ed with the id and kind columns split out
// of it), so that both the ed path and the column path are reached. Invariants: ids are never
// negative; a kind named in the columns wins over ed; an ed over the limit reads as empty.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let text = String(decoding: bytes.dropFirst(), as: UTF8.self)
    let details = EventDetails(json: text)
    if text.utf8.count > EventDetails.maxBytes { require(details.members.isEmpty, "an ed over the limit was read") }
    for name in details.members.keys { require(EventDetails.memberNames.contains(name), "kept \(name)") }

    var event = RawEvent()
    event[.ts] = "2026-11-29 10:00:00"
    if bytes.first.map({ $0 & 1 == 1 }) ?? false {
        // Columns made from the text, separated by tabs: custom_track, job_id, publisher_id, bid, ed.
        let parts = text.split(separator: "\t", maxSplits: 4, omittingEmptySubsequences: false).map(String.init)
        let fields: [TrackingField] = [.customTrack, .jobID, .publisherID, .bid, .ed]
        for (field, value) in zip(fields, parts) { event[field] = value }
    } else {
        event[.ed] = text
    }
    guard case .success(let normalized) = Normalization.normalize(event) else {
        fatalError("a readable ts was refused")
    }
    require(normalized.jobID >= 0 && normalized.publisherID >= 0 && normalized.campaignID >= 0 && normalized.groupID >= 0)
    require(normalized.bidMicros >= 0)
    if let column = event[.customTrack] { require(normalized.kind == EventKind(name: column), "the column's kind lost") }
    var metrics = FunnelMetrics(clicks: .max - 1, spendMicros: .max - 1)
    metrics.add(normalized)
    metrics += metrics
    require(metrics.clicks >= 0 && metrics.spendMicros >= 0, "a sum wrapped")
    return 0
}
