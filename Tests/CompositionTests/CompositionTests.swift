import Foundation
import JobPulseComposition
import JobPulseCore
import JobPulseLake
import JobPulseTestSupport
import Testing

/// The composition layer: settings from the environment, where storage is, and storage opened from
/// its URL, as every entry point resolves them.
@Suite struct CompositionTests {
    @Test func everyVariableHasItsDocumentedName() {
        #expect(
            Set(JobPulseSettings.Variable.allCases.map(\.environmentName)) == [
                "JOBPULSE_DATA_DIR", "JOBPULSE_LAKE", "JOBPULSE_WAREHOUSE", "JOBPULSE_LOG_LEVEL", "JOBPULSE_MAX_FUTURE",
                "JOBPULSE_HOST", "JOBPULSE_PORT", "JOBPULSE_MAX_BODY", "JOBPULSE_API_KEYS", "JOBPULSE_DASHBOARD_USER",
                "JOBPULSE_DASHBOARD_PASSWORD", "JOBPULSE_HEADER_TIMEOUT", "JOBPULSE_BODY_TIMEOUT", "JOBPULSE_IDLE_TIMEOUT",
                "JOBPULSE_SPARK_MASTER", "JOBPULSE_SPARK_SUBMIT", "JOBPULSE_SPARK_JOB", "JOBPULSE_SPARK_JARS", "JOBPULSE_CRASH_AT",
                "JOBPULSE_ALERT_WEBHOOKS", "JOBPULSE_ALERT_SECRET",
            ])
    }

    @Test func settingsAreReadByTheirEnvironmentNames() {
        let environment = Dictionary(uniqueKeysWithValues: JobPulseSettings.Variable.allCases.map { ($0.environmentName, "value of \($0)") })
        let settings = JobPulseSettings(environment: environment.merging(["JOBPULSE_OTHER": "x", "DATA_DIR": "y"]) { $1 })
        for variable in JobPulseSettings.Variable.allCases {
            #expect(settings[variable] == "value of \(variable)")
        }
        #expect(JobPulseSettings(environment: [:])[.lake] == nil)
    }

    @Test func flagsWinOverVariablesWhichWinOverTheDataFolder() throws {
        let settings = JobPulseSettings(environment: [
            "JOBPULSE_DATA_DIR": "/srv/jp", "JOBPULSE_WAREHOUSE": "mysql://jp:secret@db:3306/jobpulse",
        ])
        let fromEnvironment = try StorageLocation(dataDirectory: nil, lake: nil, warehouse: nil, settings: settings)
        #expect(fromEnvironment.dataDirectory == "/srv/jp")
        #expect(fromEnvironment.lake.text == "sqlite:///srv/jp/lake.db")
        #expect(fromEnvironment.warehouse.scheme == "mysql" && fromEnvironment.warehouse.path == "jobpulse")
        let fromFlags = try StorageLocation(dataDirectory: "/tmp/x", lake: "cassandra://n1:9042/jp", warehouse: "sqlite:///w.db", settings: settings)
        #expect((fromFlags.lake.scheme, fromFlags.warehouse.path) == ("cassandra", "/w.db"))
        let defaults = try StorageLocation(
            dataDirectory: nil, lake: nil, warehouse: nil, settings: JobPulseSettings(environment: [:]),
            defaultDataDirectory: "demo")
        #expect(defaults.lake.path.hasSuffix("/demo/lake.db") && defaults.warehouse.path.hasSuffix("/demo/warehouse.db"))
    }

    @Test func aURLThatIsNoneIsRefusedWithoutItsPassword() {
        #expect(throws: StorageSetupError.notAStorageURL(StorageURL.redacted("mysql//jp:hunter2@db/jp"))) {
            try StorageLocation(dataDirectory: nil, lake: nil, warehouse: "mysql//jp:hunter2@db/jp", settings: JobPulseSettings(environment: [:]))
        }
        #expect(!StorageSetupError.notAStorageURL(StorageURL.redacted("mysql//jp:hunter2@db/jp")).description.contains("hunter2"))
    }

    @Test func theFactoryOpensWhatItKnowsAndNamesWhatItDoesNot() async throws {
        let directory = try TemporaryDirectory()
        let lake = try await StorageFactory.openLake(try #require(StorageURL("sqlite://" + directory.file("nested/lake.db"))))
        #expect(lake.kind == "sqlite")
        #expect(FileManager.default.fileExists(atPath: directory.file("nested/lake.db")), "the folder is created")
        await lake.close()
        let warehouse = try await StorageFactory.openWarehouse(try #require(StorageURL("sqlite://" + directory.file("w/warehouse.db"))))
        #expect(try await warehouse.factCount() == 0, "its tables exist")
        await #expect(throws: StorageSetupError.unsupportedLake("redis://cache/0")) {
            try await StorageFactory.openLake(try #require(StorageURL("redis://cache/0")))
        }
        await #expect(throws: StorageSetupError.unsupportedWarehouse("sqlite-ish://x/y")) {
            try await StorageFactory.openWarehouse(try #require(StorageURL("sqlite-ish://x/y")))
        }
        await #expect(throws: StorageSetupError.invalidKeyWindow("0")) {
            try await StorageFactory.openLake(try #require(StorageURL("sqlite://" + directory.file("k.db") + "?key_window_seconds=0")))
        }
    }
}
