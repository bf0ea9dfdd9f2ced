/// Errors of the storage layers, worded for the person running JobPulse.
public enum StorageError: Error, CustomStringConvertible {
    case cannotOpen(kind: String, path: String, underlying: any Error)
    case foreignPosition(String, lake: String)

    public var description: String {
        switch self {
        case .cannotOpen(let kind, let path, let underlying):
            "cannot open the \(kind) at \(path): \(underlying)"
        case .foreignPosition(let token, let lake):
            "position \"\(token)\" does not belong to a \(lake) lake"
        }
    }
}
