import Synchronization

/// A count that concurrent tasks and callbacks add to.
package final class LockedCounter: Sendable {
    private let count = Mutex(0)

    package init() {}

    package func increment() { count.withLock { $0 += 1 } }
    package var value: Int { count.withLock { $0 } }
}
