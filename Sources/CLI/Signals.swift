import Foundation

/// Runs `body`, cancelling it on SIGINT or SIGTERM, so that a command stopped from the keyboard
/// or by a supervisor finishes its current write and prints its summary.
func withTaskCancellationOnSignal<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) async throws -> T {
    // Its own task, so that the signal handler below can cancel it.
    let task = Task { try await body() }
    let sources = [SIGINT, SIGTERM].map { number -> any DispatchSourceSignal in
        signal(number, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: number)
        source.setEventHandler { task.cancel() }
        source.resume()
        return source
    }
    defer { sources.forEach { $0.cancel() } }
    return try await task.value
}
