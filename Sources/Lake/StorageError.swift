/// Errors of the storage layers, worded for the person running JobPulse.
public enum StorageError: Error, CustomStringConvertible {
    case cannotOpen(kind: String, path: String, underlying: any Error)
    case foreignPosition(String, lake: String)
    /// The store was written by an earlier release, in a layout `migrate` upgrades.
    case needsUpgrade(kind: String, path: String, layout: Int)
    /// The store was written by a later release than this one.
    case newerLayout(kind: String, path: String, layout: Int)
    /// A chunk of raw events does not read back as it was written (a damaged file).
    case damagedChunk(firstPosition: Int64, reason: String)

    public var description: String {
        switch self {
        case .cannotOpen(let kind, let path, let underlying):
            "cannot open the \(kind) at \(path): \(underlying)"
        case .foreignPosition(let token, let lake):
            "position \"\(token)\" does not belong to a \(lake) lake"
        case .needsUpgrade(let kind, let path, let layout):
            "the \(kind) at \(path) has layout \(layout), written by an earlier JobPulse; run `jobpulse migrate` to upgrade it in place"
        case .newerLayout(let kind, let path, let layout):
            "the \(kind) at \(path) has layout \(layout), written by a later JobPulse than this one; use that release"
        case .damagedChunk(let first, let reason):
            "the raw events from position \(first) cannot be read: \(reason)"
        }
    }
}
