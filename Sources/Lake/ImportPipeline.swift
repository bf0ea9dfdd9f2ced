import JobPulseCore

/// The admitting and writing half of a file import.
///
/// Blocks are admitted concurrently, at most `maxBlocksInFlight` at a time, and collected in the
/// order they were handed in, so events and rejections reach the lake in file order. Collected
/// rows are written in transactions of `batchSize` rows (or `batchBytes` of text, whichever
/// comes first); one transaction is written while the next fills, and a transaction starts only
/// after the one before it has committed, so positions follow the file and a crash leaves a
/// prefix of it in the lake.
struct ImportPipeline {
    let lake: any EventLake
    let origin: String
    let futureTolerance: Int64
    let batchSize: Int
    let batchBytes: Int
    let maxBlocksInFlight: Int
    let totalBytes: Int64
    let progress: (@Sendable (TrackingFileImport.Progress) -> Void)?

    private var admitting: [Task<AdmittedBlock, Never>] = []
    private var events: [AdmittedEvent] = []
    private var rejections: [Rejection] = []
    private var pendingBytes = 0
    private var pendingBytesRead: Int64 = 0
    private var writing: (task: Task<Void, any Error>, count: IntakeCount, bytesRead: Int64)?
    private var count = IntakeCount()

    init(
        lake: any EventLake, origin: String, futureTolerance: Int64, batchSize: Int, batchBytes: Int,
        maxBlocksInFlight: Int, totalBytes: Int64, progress: (@Sendable (TrackingFileImport.Progress) -> Void)?
    ) {
        self.lake = lake
        self.origin = origin
        self.futureTolerance = futureTolerance
        self.batchSize = max(1, batchSize)
        self.batchBytes = batchBytes
        self.maxBlocksInFlight = max(1, maxBlocksInFlight)
        self.totalBytes = totalBytes
        self.progress = progress
    }

    /// Starts admitting `block`; waits for the oldest block first when too many are under way.
    mutating func admit(_ block: ImportBlock, layout: TrackingCSVLayout) async throws {
        let origin = origin, futureTolerance = futureTolerance
        // Tasks, so that blocks are admitted on every core while the reader goes on; they are
        // awaited in file order.
        admitting.append(Task { block.admit(layout: layout, origin: origin, futureTolerance: futureTolerance) })
        if admitting.count >= maxBlocksInFlight { try await collectOldest() }
    }

    /// Admits and writes what is left; answers the count of the whole import.
    mutating func finish(bytesRead: Int64) async throws -> IntakeCount {
        while !admitting.isEmpty { try await collectOldest() }
        pendingBytesRead = bytesRead
        // Always one last write, even an empty one, so that progress ends at the file's end.
        try await startWrite()
        try await awaitWrite()
        return count
    }

    /// After a failure: lets the tasks under way end, so that no write outlives the import.
    func abandon() async {
        for task in admitting { _ = await task.value }
        _ = await writing?.task.result
    }

    private mutating func collectOldest() async throws {
        let block = await admitting.removeFirst().value
        events.append(contentsOf: block.events)
        rejections.append(contentsOf: block.rejections)
        pendingBytes += block.bytes
        pendingBytesRead = block.bytesRead
        if events.count + rejections.count >= batchSize || pendingBytes >= batchBytes { try await startWrite() }
    }

    /// Writes the collected rows in one transaction, once the previous one has committed.
    private mutating func startWrite() async throws {
        try await awaitWrite()
        let (lake, events, rejections) = (lake, events, rejections)
        // The write runs while the next blocks are read and admitted; awaited before the next one.
        writing = (
            Task { _ = try await lake.write([LakeWrite(events: events, rejections: rejections)]) },
            IntakeCount(accepted: events.count, rejected: rejections.count), pendingBytesRead
        )
        self.events = []
        self.rejections = []
        pendingBytes = 0
    }

    private mutating func awaitWrite() async throws {
        guard let (task, written, bytesRead) = writing else { return }
        writing = nil
        try await task.value
        count += written
        progress?(TrackingFileImport.Progress(bytesRead: bytesRead, totalBytes: totalBytes, count: count))
    }
}
