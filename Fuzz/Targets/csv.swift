// The CSV reader, fed the input whole and again in chunks whose sizes come from the input, and
// the tracking layout over what it reads. Invariants: records and failures (line and reason)
// do not depend on the chunks; lines only grow; no record has more fields than allowed.
struct Outcome: Equatable {
    var line: Int
    var fields: [String]?
    var reason: String?
}

func read(_ bytes: [UInt8], chunkSizes: [Int]) -> [Outcome] {
    var parser = CSVParser(maxRecordBytes: 512, maxFields: 40)
    var outcomes: [Outcome] = []
    func drain() {
        while let next = parser.next() {
            switch next {
            case .success(let record): outcomes.append(Outcome(line: record.line, fields: record.fields))
            case .failure(let failure): outcomes.append(Outcome(line: failure.line, reason: failure.reason))
            }
        }
    }
    var index = 0
    var k = 0
    while index < bytes.count {
        let end = min(bytes.count, index + chunkSizes[k % chunkSizes.count])
        parser.feed(bytes[index..<end])
        drain()
        index = end
        k += 1
    }
    parser.finish()
    drain()
    return outcomes
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let whole = read(bytes, chunkSizes: [Int.max])
    let sizes = bytes.prefix(8).map { Int($0 % 17) + 1 }
    let chunked = read(bytes, chunkSizes: sizes.isEmpty ? [1] : sizes)
    require(whole == chunked, "chunks \(sizes) changed the records")
    var lastLine = 0
    var layout: TrackingCSVLayout?
    for outcome in whole {
        require(outcome.line > lastLine, "line \(outcome.line) after \(lastLine)")
        lastLine = outcome.line
        guard let fields = outcome.fields else { continue }
        require(fields.count <= 40, "\(fields.count) fields")
        guard let known = layout else {
            layout = TrackingCSVLayout(header: fields) ?? .standard
            continue
        }
        if case .success(let event) = known.event(from: fields), case .success(let normalized) = Normalization.normalize(event) {
            require(normalized.jobID >= 0 && normalized.bidMicros >= 0)
        }
    }
    return 0
}
