/// How long a test waits for something that happens in the background (a commit, a page's
/// render, a server's reading) before it calls the wait a failure.
///
/// It is a ceiling for a condition that never comes, not a measurement. Every test of the suite
/// runs in parallel with the others on the machine's cores, so a step that takes milliseconds
/// alone can take tens of seconds in the suite; a short ceiling would fail on a busy machine,
/// and a long one costs only the failing test's time.
package let patience: Duration = .seconds(90)

/// Asks `condition` every `interval` until it holds, at most for ``patience``; returns whether
/// it held.
package func poll(every interval: Duration = .milliseconds(50), until condition: () async throws -> Bool) async throws -> Bool {
    let deadline = ContinuousClock.now + patience
    while true {
        if try await condition() { return true }
        guard ContinuousClock.now < deadline else { return false }
        try await Task.sleep(for: interval)
    }
}
