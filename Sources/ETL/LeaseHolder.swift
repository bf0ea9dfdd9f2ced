import Foundation

/// The name an ETL writes into the lease, `host:pid:nonce` (see ``ETLConfiguration/owner``), read
/// back so that an ETL can tell a holder that died on this host from one that may be alive.
///
/// Only a holder on this very host can be known dead: its process id is checked with the kernel.
/// Anywhere else, or when the name is not of this form, the holder may be alive and the lease is
/// respected until it expires. A process id reused by an unrelated process makes a dead holder
/// look alive, which only costs a wait for the expiry.
struct LeaseHolder: Sendable, Equatable {
    let host: String
    let processID: Int32

    init?(owner: String) {
        let parts = owner.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 3, !parts[0].isEmpty, let pid = Int32(parts[1]), pid > 0 else { return nil }
        host = String(parts[0])
        processID = pid
    }

    /// Whether the holder ran on this host and its process no longer exists.
    var hasExitedOnThisHost: Bool {
        guard host == ProcessInfo.processInfo.hostName, processID != getpid() else { return false }
        return kill(processID, 0) != 0 && errno == ESRCH
    }
}
