import Foundation
import JobPulseCore

/// Streams a tracking-log CSV export into a lake: every readable row with a readable `ts` is
/// appended, every other row goes to the quarantine with its line and reason.
///
/// Memory stays bounded whatever the file's size: the file is read in chunks and written in
/// batches of `batchSize` rows, each batch in one lake transaction.
public struct TrackingFileImport: Sendable {
    public struct Progress: Sendable {
        public var bytesRead: Int64
        public var totalBytes: Int64
        public var count: IntakeCount
    }

    public let lake: any EventLake
    public var batchSize = 5_000
    public var chunkSize = 256 * 1024
    /// How far ahead of this machine's clock a row's `ts` may be, in milliseconds.
    public var futureTolerance = Admission.defaultFutureTolerance

    public init(lake: any EventLake) { self.lake = lake }

    /// Imports the file at `path`; `origin` names it in the quarantine (the file name by default).
    public func run(
        path: String,
        origin: String? = nil,
        progress: (@Sendable (Progress) -> Void)? = nil
    ) async throws -> IntakeCount {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw ImportError.cannotRead(path) }
        defer { try? handle.close() }
        let totalBytes = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int64) ?? 0
        let origin = origin ?? URL(fileURLWithPath: path).lastPathComponent

        var parser = CSVParser()
        var layout: TrackingCSVLayout?
        var batch = IntakeBatch(origin: origin, futureTolerance: futureTolerance)
        var count = IntakeCount()
        var bytesRead: Int64 = 0

        func flush() async throws {
            count += try await batch.flush(to: lake)
            progress?(Progress(bytesRead: bytesRead, totalBytes: totalBytes, count: count))
        }

        var endOfFile = false
        while !endOfFile {
            let chunk = try handle.read(upToCount: chunkSize) ?? Data()
            bytesRead += Int64(chunk.count)
            if chunk.isEmpty {
                endOfFile = true
                parser.finish()
            } else {
                parser.feed(chunk)
            }
            while let result = parser.next() {
                switch result {
                case .failure(let failure):
                    batch.reject(location: failure.line, reason: failure.reason, raw: failure.text)
                case .success(let record):
                    if layout == nil, let header = TrackingCSVLayout(header: record.fields) {
                        layout = header
                        continue
                    }
                    batch.admit(fields: record.fields, layout: layout ?? .standard, location: record.line)
                    layout = layout ?? .standard
                }
                if batch.events.count + batch.rejections.count >= batchSize { try await flush() }
            }
        }
        try await flush()
        return count
    }

    public enum ImportError: Error, CustomStringConvertible {
        case cannotRead(String)
        public var description: String {
            switch self {
            case .cannotRead(let path): "cannot read \(path): no such file, or not readable"
            }
        }
    }
}
