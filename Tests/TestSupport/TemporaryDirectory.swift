import Foundation

/// A temporary folder, removed when the value is released.
package final class TemporaryDirectory: Sendable {
    package let path: String

    package init(_ name: String = "jobpulse-test") throws {
        path = NSTemporaryDirectory() + "\(name)-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    package func file(_ name: String) -> String { path + "/" + name }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}
