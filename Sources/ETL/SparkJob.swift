import Foundation
import Logging

/// The Spark engine: the ETL's batches aggregated on Apache Spark by the PySpark job in
/// `spark/`, which applies the same rules and commits with the same SQL files, under the same
/// lease, so the two engines never write for one lake at once.
///
/// `jobpulse etl --engine spark` starts it with `spark-submit` and supervises it: its output
/// passes through, SIGINT/SIGTERM are forwarded (the job finishes its batch and exits 0), and a
/// non-zero exit is reported as an error.
public struct SparkJob: Sendable {
    public var sparkSubmit: String
    public var master: String
    /// `jobpulse_spark.py`, with its package `jobpulse_etl` beside it.
    public var script: String
    /// JDBC drivers for the lake and the warehouse.
    public var jars: [String]
    /// The job's own arguments (`--lake`, `--warehouse`, `--once`, …).
    public var arguments: [String]
    /// Extra environment (passwords travel in URLs inside arguments of a local process only).
    public var environment: [String: String] = [:]

    public init(sparkSubmit: String, master: String, script: String, jars: [String], arguments: [String]) {
        self.sparkSubmit = sparkSubmit
        self.master = master
        self.script = script
        self.jars = jars
        self.arguments = arguments
    }

    /// Where the job is looked for when not given: beside a source checkout, or installed.
    public static func locateScript(executable: String) -> String? {
        let binary = URL(fileURLWithPath: executable).resolvingSymlinksInPath().deletingLastPathComponent()
        let candidates = [
            binary.appendingPathComponent("../../spark/jobpulse_spark.py").path,  // .build/<config>/jobpulse
            binary.appendingPathComponent("../../../spark/jobpulse_spark.py").path,  // .build/<triple>/<config>/jobpulse
            binary.appendingPathComponent("../share/jobpulse/spark/jobpulse_spark.py").path,
            "/opt/jobpulse/spark/jobpulse_spark.py",
        ]
        return candidates.map { URL(fileURLWithPath: $0).standardizedFileURL.path }
            .first { FileManager.default.fileExists(atPath: $0) }
    }

    /// `spark-submit` on the PATH, or beside the Python that has PySpark.
    public static func locateSparkSubmit() -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let directories = path.split(separator: ":").map(String.init) + ["/usr/local/bin", "/opt/spark/bin"]
        return directories.map { $0 + "/spark-submit" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// The command line, with the warehouse password hidden, for the log.
    public var commandLineForLog: [String] {
        commandLine.map { argument in
            guard let at = argument.firstRange(of: "@"), let scheme = argument.firstRange(of: "://"),
                let colon = argument[scheme.upperBound..<at.lowerBound].firstIndex(of: ":")
            else { return argument }
            return String(argument[..<argument.index(after: colon)]) + "***" + String(argument[at.lowerBound...])
        }
    }

    var commandLine: [String] {
        var line = [sparkSubmit, "--master", master, "--name", "jobpulse-etl", "--conf", "spark.sql.session.timeZone=UTC"]
        // Spark's own logging at warning level, so that the job's batch lines stand out.
        let logConfiguration = URL(fileURLWithPath: script).deletingLastPathComponent().appendingPathComponent("conf/log4j2.properties").path
        if FileManager.default.fileExists(atPath: logConfiguration) {
            line += ["--driver-java-options", "-Dlog4j2.configurationFile=file:\(logConfiguration)"]
        }
        return line + ["--jars", jars.joined(separator: ","), script] + arguments
    }

    /// Runs the job until it exits; throws when it fails.
    public func run(logger: Logger) async throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: sparkSubmit)
        process.arguments = Array(commandLine.dropFirst())
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        logger.info("starting the Spark engine", metadata: ["command": "\(commandLineForLog.joined(separator: " "))"])
        let exited = AsyncStream<Int32>.makeStream()
        process.terminationHandler = {
            exited.continuation.yield($0.terminationStatus)
            exited.continuation.finish()
        }
        try process.run()
        let status = await withTaskCancellationHandler {
            var iterator = exited.stream.makeAsyncIterator()
            return await iterator.next() ?? -1
        } onCancel: {
            // The job finishes the batch under way, releases its lease and exits.
            if process.isRunning { kill(process.processIdentifier, SIGTERM) }
        }
        guard status == 0 else { throw SparkJobError.failed(status: status) }
        logger.info("the Spark engine stopped")
    }

    public enum SparkJobError: Error, CustomStringConvertible {
        case failed(status: Int32)
        case notFound(String)

        public var description: String {
            switch self {
            case .failed(let status): "the Spark job exited with status \(status); its log is above"
            case .notFound(let what): what
            }
        }
    }
}
