import Foundation
import JobPulseCore

/// Loads the job export (the 30-column CSV of the job dimension, descriptions with line breaks
/// included) into the warehouse, in batches. Re-running it updates the jobs it holds.
public struct JobFileImport: Sendable {
    public struct Result: Sendable {
        public var count = IntakeCount()
        /// The rows that were not loaded, with their line and reason.
        public var rejections: [Rejection] = []
    }

    public let warehouse: any Warehouse
    public var batchSize = 2_000

    public init(warehouse: any Warehouse) { self.warehouse = warehouse }

    public func run(path: String) async throws -> Result {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw JobImportError.cannotRead(path) }
        defer { try? handle.close() }
        let origin = URL(fileURLWithPath: path).lastPathComponent
        var parser = CSVParser()
        var header: [String]?
        var jobs: [JobRecord] = []
        var result = Result()

        func reject(_ line: Int, _ reason: String, _ raw: String) {
            result.rejections.append(Rejection(origin: origin, location: line, reason: reason, raw: raw))
            result.count.rejected += 1
        }

        var endOfFile = false
        while !endOfFile {
            let chunk = try handle.read(upToCount: 256 * 1024) ?? Data()
            if chunk.isEmpty {
                endOfFile = true
                parser.finish()
            } else {
                parser.feed(chunk)
            }
            while let next = parser.next() {
                switch next {
                case .failure(let failure):
                    reject(failure.line, failure.reason, failure.text)
                case .success(let record):
                    if header == nil {
                        // A file without a header row has the export's columns in order.
                        let names = record.fields.map { $0.trimmingCharacters(in: .whitespaces) }
                        header = names.contains("id") ? names : JobRecord.columns
                        if names.contains("id") { continue }
                    }
                    switch JobRecord.parse(fields: record.fields, header: header!) {
                    case .success(let job): jobs.append(job)
                    case .failure(let error): reject(record.line, error.description, CSVWriter.line(record.fields))
                    }
                }
                if jobs.count >= batchSize {
                    try await warehouse.upsertJobs(jobs)
                    result.count.accepted += jobs.count
                    jobs.removeAll(keepingCapacity: true)
                }
            }
        }
        try await warehouse.upsertJobs(jobs)
        result.count.accepted += jobs.count
        return result
    }

    public enum JobImportError: Error, CustomStringConvertible {
        case cannotRead(String)
        public var description: String {
            switch self {
            case .cannotRead(let path): "cannot read \(path): no such file, or not readable"
            }
        }
    }
}
