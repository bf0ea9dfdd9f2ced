import Foundation
import JobPulseCore
import JobPulseETL
import JobPulseGenerator
import JobPulseLake
import JobPulseWarehouse
import Testing

#if MySQL
import MariaDBTestSupport
#endif

/// A temporary folder, removed when the value is released.
final class TemporaryDirectory: Sendable {
    let path: String

    init(_ name: String = "jobpulse-test") throws {
        path = NSTemporaryDirectory() + "\(name)-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func file(_ name: String) -> String { path + "/" + name }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}

/// The warehouses the pipeline's tests run against: always SQLite, and MySQL (a private
/// MariaDB server) when the package is built with the MySQL trait.
enum Backend: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite
    #if MySQL
    case mysql
    #endif

    var testDescription: String { rawValue }
}

/// Runs a suite inside a private MariaDB server when the MySQL backend is built, so that its
/// tests can use ``Backend/mysql``; without it, runs the suite as it is.
struct MariaDBWhenBuilt: SuiteTrait, TestScoping {
    func provideScope(for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void) async throws {
        #if MySQL
        try await SharedServerTrait().provideScope(for: test, testCase: testCase, performing: function)
        #else
        try await function()
        #endif
    }
}

extension Trait where Self == MariaDBWhenBuilt {
    static var mariaDBWhenBuilt: Self { MariaDBWhenBuilt() }
}

/// A lake in a temporary folder, and a warehouse beside it (SQLite) or in a database of its
/// own on the suite's MariaDB server.
struct TestStore: Sendable {
    let directory: TemporaryDirectory
    let lake: SQLiteLake
    let warehouse: SQLWarehouse

    /// A store in `directory`, by default a new one: the layout of `jobpulse --data-dir`.
    init(_ backend: Backend = .sqlite, directory: TemporaryDirectory? = nil) async throws {
        self.directory = try directory ?? TemporaryDirectory()
        lake = try SQLiteLake(path: self.directory.file("lake.db"))
        switch backend {
        case .sqlite:
            warehouse = SQLWarehouse(database: try SQLiteDatabase(path: self.directory.file("warehouse.db")))
        #if MySQL
        case .mysql:
            warehouse = SQLWarehouse(database: try MySQLDatabase(url: try await Self.newMySQLDatabase()))
        #endif
        }
        try await warehouse.migrate()
    }

    #if MySQL
    /// Creates an empty database on the suite's server and returns its URL.
    static func newMySQLDatabase() async throws -> String {
        let server = try SharedServer.require()
        let name = "t_" + UUID().uuidString.prefix(12).lowercased().replacingOccurrences(of: "-", with: "")
        try await server.runAsRoot("CREATE DATABASE \(name)")
        return "mysql://jp:jp@127.0.0.1:\(server.port)/\(name)?ssl=disabled"
    }
    #endif

    func pipeline(
        batchSize: Int = 50_000, owner: String? = nil,
        checkpoint: @escaping @Sendable (BatchStep) throws -> Void = { _ in }
    ) -> ETLPipeline {
        ETLPipeline(
            lake: lake, warehouse: warehouse,
            configuration: ETLConfiguration(batchSize: batchSize, interval: .milliseconds(50), owner: owner),
            checkpoint: checkpoint)
    }

    /// Writes `count` generated rows (through admission) and returns what was accepted. The rows
    /// are made on a thread of their own: tens of thousands of them would otherwise hold one of
    /// the few threads that every test running beside this one shares.
    @discardableResult
    func generate(_ generator: inout TrafficGenerator, count: Int, arrivingAt now: Int64 = TestClock.now) async throws -> IntakeCount {
        let start = generator
        var (batch, advanced) = try await offloaded {
            var generator = start
            var batch = IntakeBatch(origin: "test")
            for index in 0..<count {
                batch.admit(fields: generator.nextRow(arrivingAt: now - Int64(count - index) * 1000), layout: .standard, location: index + 1)
            }
            return (batch, generator)
        }
        generator = advanced
        return try await batch.flush(to: lake)
    }
}

enum TestClock {
    static var now: Int64 { Int64(Date().timeIntervalSince1970 * 1000) }
}

/// The warehouse a from-scratch aggregation of the whole lake gives: the ground truth that
/// every incremental run must end at.
func groundTruth(of store: TestStore) async throws -> [Grain: GrainDelta] {
    try await groundTruth(lake: store.lake, warehouse: store.warehouse)
}

func groundTruth(lake: any EventLake, warehouse: SQLWarehouse) async throws -> [Grain: GrainDelta] {
    let records = try await lake.read(after: nil, limit: Int.max)
    let aggregate = BatchAggregate.of(records.map(\.event)).aggregate
    let companies = try await warehouse.companyIDs(forJobs: Array(Set(aggregate.deltas.keys.map(\.jobID))))
    return Dictionary(
        uniqueKeysWithValues: aggregate.deltas.map {
            ($0.key, GrainDelta(grain: $0.key, metrics: $0.value, companyID: companies[$0.key.jobID]))
        })
}

/// Checks that the warehouse holds exactly the ground truth: the same grains, the same counts,
/// spend, derived spend_hour and bid_set, and company ids.
func expectWarehouseEqualsGroundTruth(_ store: TestStore, sourceLocation: SourceLocation = #_sourceLocation) async throws {
    try await expectWarehouseEqualsGroundTruth(lake: store.lake, warehouse: store.warehouse, sourceLocation: sourceLocation)
}

func expectWarehouseEqualsGroundTruth(lake: any EventLake, warehouse: SQLWarehouse, sourceLocation: SourceLocation = #_sourceLocation) async throws {
    let truth = try await groundTruth(lake: lake, warehouse: warehouse)
    let facts = try await warehouse.facts()
    #expect(facts.count == truth.count, "warehouse rows vs grains in the lake", sourceLocation: sourceLocation)
    var mismatches = 0
    for fact in facts {
        guard let expected = truth[fact.grain] else {
            mismatches += 1
            continue
        }
        if fact.metrics != expected.metrics || fact.companyID != expected.companyID
            || fact.spendHour != expected.metrics.spend || fact.bidSet != expected.metrics.averageBid
        {
            mismatches += 1
        }
    }
    #expect(mismatches == 0, "\(mismatches) warehouse rows differ from a from-scratch aggregation", sourceLocation: sourceLocation)
    let state = try await warehouse.state(source: lake.kind)
    let lakeCount = try await lake.count(after: nil)
    #expect(state?.eventsTotal == Int64(lakeCount), "every lake event accounted once", sourceLocation: sourceLocation)
    #expect(state.map { $0.funnelTotal + $0.otherTotal } == state?.eventsTotal, sourceLocation: sourceLocation)
}

/// The built `jobpulse` executable, next to the test bundle.
func jobpulseExecutable() throws -> String { try builtExecutable("jobpulse") }

/// An executable of this package (`jobpulse`, `cassandra-stand-in`), next to the test bundle.
func builtExecutable(_ name: String) throws -> String {
    var url = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    for _ in 0..<4 {
        let candidate = url.appendingPathComponent(name).path
        if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        url = url.deletingLastPathComponent()
    }
    let fallback = FileManager.default.currentDirectoryPath + "/.build/debug/" + name
    guard FileManager.default.isExecutableFile(atPath: fallback) else {
        throw TestFailure("\(name) executable not found; run `swift build` before `swift test`")
    }
    return fallback
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Runs `jobpulse` with arguments and extra environment; returns exit status and output.
@discardableResult
func runJobPulse(_ arguments: [String], environment: [String: String] = [:], directory: String? = nil) async throws -> (status: Int32, output: String) {
    let executable = try jobpulseExecutable()
    return try await offloaded {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}

/// Runs blocking work (waiting for a process, reading a pipe) on a thread of its own: on a
/// small machine the few threads of Swift's cooperative pool must never wait on it, or every
/// other test running in parallel stalls.
func offloaded<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try body() }) }.start()
    }
}

/// The answer of `POST /v1/events`, read back whatever the order of its keys.
struct IntakeAnswer: Decodable, Equatable {
    struct RejectedRow: Decodable, Equatable {
        let index: Int
        let reason: String
    }

    let received: Int
    let accepted: Int
    let rejected: Int
    let errors: [RejectedRow]

    init(_ text: String) throws { self = try JSONDecoder().decode(Self.self, from: Data(text.utf8)) }

    init(received: Int, accepted: Int, rejected: Int, errors: [RejectedRow]) {
        (self.received, self.accepted, self.rejected, self.errors) = (received, accepted, rejected, errors)
    }
}

/// A JSON object's members, `[:]` for anything else; `member(_:)` reads a nested object.
func jsonObject(_ text: String) -> [String: Any] {
    (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:]
}

extension Dictionary where Key == String, Value == Any {
    func member(_ key: String) -> [String: Any] { self[key] as? [String: Any] ?? [:] }
}
