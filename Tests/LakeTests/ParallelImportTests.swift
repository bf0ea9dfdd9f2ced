import Foundation
import JobPulseCore
import JobPulseGenerator
import JobPulseLake
import JobPulseTestSupport
import Synchronization
import Testing

/// The import reads records on one task, admits blocks of them on every core and writes them in
/// large transactions: the lake and the quarantine must hold exactly what a plain row-by-row
/// reading of the same file gives, in file order, however the file falls into chunks, blocks
/// and transactions.
@Suite struct ParallelImportTests {
    static let uaWithLineBreak = "Mozilla/5.0 (X11)\nsecond line, with a comma and a \"quote\""

    /// A generated export with a header, quoted line breaks, CRLF and blank lines, rows of the
    /// wrong width, unreadable and future `ts`, and a quote left open on the last line.
    static func messyFile(rows: Int) -> String {
        var generator = TrafficGenerator(seed: 77)
        let now = TestClock.now
        var text = CSVWriter.line(TrackingField.columnNames) + "\n"
        for index in 0..<rows {
            var row = generator.nextRow(arrivingAt: now - Int64(rows - index) * 1000)
            if index % 7 == 3 { row[TrackingField.ua.index] = uaWithLineBreak }
            if index % 211 == 5 { row.removeLast() }
            if index == rows / 2 { row[TrackingField.ts.index] = "9999-12-31 23:59:59" }
            text += CSVWriter.line(row) + (index % 13 == 0 ? "\r\n" : "\n")
            if index % 307 == 0 { text += "\n" }
        }
        return text + "\"never closed,x,y\n"
    }

    /// What reaches the lake and the quarantine when the file is read and admitted one row at a
    /// time by one reader.
    static func reference(_ text: String, origin: String) -> (events: [RawEvent], rejections: [Rejection]) {
        var parser = CSVParser()
        parser.feed(Array(text.utf8))
        parser.finish()
        var layout: TrackingCSVLayout?
        var batch = IntakeBatch(origin: origin)
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
        }
        return (batch.events.map(\.raw), batch.rejections)
    }

    /// A reason without how many seconds ahead a future `ts` was: that depends on when it was read.
    static func timeless(_ rejection: Rejection) -> Rejection {
        var copy = rejection
        if let range = copy.reason.range(of: #"is \d+ s ahead"#, options: .regularExpression) {
            copy.reason.replaceSubrange(range, with: "is … s ahead")
        }
        return copy
    }

    struct Cut: CustomTestStringConvertible, Sendable {
        var chunkSize: Int?
        var rowsPerBlock: Int
        var batchSize: Int
        var maxBlocksInFlight: Int
        var testDescription: String {
            "chunk \(chunkSize.map(String.init) ?? "inside a quote"), block \(rowsPerBlock), batch \(batchSize), in flight \(maxBlocksInFlight)"
        }
    }

    @Test(arguments: [
        Cut(chunkSize: nil, rowsPerBlock: 7, batchSize: 50, maxBlocksInFlight: 3),
        Cut(chunkSize: 4_099, rowsPerBlock: 1, batchSize: 5, maxBlocksInFlight: 1),
        Cut(chunkSize: 997, rowsPerBlock: 64, batchSize: 100, maxBlocksInFlight: 8),
        Cut(chunkSize: 256 * 1024, rowsPerBlock: 1_024, batchSize: 50_000, maxBlocksInFlight: 8),
    ])
    func importEqualsARowByRowReading(cut: Cut) async throws {
        let store = try await TestStore()
        let text = Self.messyFile(rows: 3_000)
        let path = store.directory.file("messy.csv")
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let expected = Self.reference(text, origin: "messy.csv")

        var importer = TrackingFileImport(lake: store.lake)
        // Without a size given, the first chunk ends inside the first quoted line break.
        let firstQuotedBreak = try #require(text.range(of: Self.uaWithLineBreak.prefix { $0 != "\n" } + "\n")).upperBound
        importer.chunkSize = cut.chunkSize ?? text.utf8.distance(from: text.utf8.startIndex, to: firstQuotedBreak) - 1
        importer.rowsPerBlock = cut.rowsPerBlock
        importer.batchSize = cut.batchSize
        importer.maxBlocksInFlight = cut.maxBlocksInFlight
        let reported = ProgressLog()
        let count = try await importer.run(path: path) { reported.append($0) }

        #expect(count == IntakeCount(accepted: expected.events.count, rejected: expected.rejections.count))
        #expect(expected.rejections.count > 15)
        #expect(expected.events.filter { $0[.ua] == Self.uaWithLineBreak }.count > 300)
        let stored = try await store.lake.read(after: nil, limit: Int.max)
        #expect(stored.count == expected.events.count)
        #expect(stored.map(\.event) == expected.events, "every event, in file order")
        let positions = stored.compactMap { Int64($0.position.token) }
        #expect(positions == positions.sorted() && Set(positions).count == positions.count)
        let quarantine = try await store.lake.quarantine(limit: Int.max)
        #expect(quarantine.total == expected.rejections.count)
        #expect(
            quarantine.rows.reversed().map { Self.timeless($0.rejection) } == expected.rejections.map(Self.timeless),
            "every rejected row with its line and reason, in file order")

        let progress = reported.entries
        #expect(progress.last?.bytesRead == Int64(text.utf8.count))
        #expect(progress.last?.count == count)
        #expect(zip(progress, progress.dropFirst()).allSatisfy { $0.bytesRead <= $1.bytesRead && $0.count.received <= $1.count.received })
    }

    @Test func anEmptyFileImportsNothing() async throws {
        let store = try await TestStore()
        let path = store.directory.file("empty.csv")
        try "".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(try await TrackingFileImport(lake: store.lake).run(path: path) == IntakeCount())
        #expect(try await store.lake.count(after: nil) == 0)
    }

    final class ProgressLog: Sendable {
        private let stored = Mutex<[TrackingFileImport.Progress]>([])
        func append(_ progress: TrackingFileImport.Progress) { stored.withLock { $0.append(progress) } }
        var entries: [TrackingFileImport.Progress] { stored.withLock { $0 } }
    }
}
