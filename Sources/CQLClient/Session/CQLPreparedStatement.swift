/// A statement prepared on the server, ready for ``CQLSession/execute(_:_:options:)``.
///
/// It keeps its CQL text so that a node that has forgotten it (after a restart, or a
/// node it was never prepared on) can be asked to prepare it again transparently.
public struct CQLPreparedStatement: Sendable, Hashable {
    public let query: String
    public let metadata: CQLPreparedResult

    public init(query: String, metadata: CQLPreparedResult) {
        self.query = query
        self.metadata = metadata
    }

    public var id: [UInt8] { metadata.id }
    /// The bind markers, in order; bound values are adapted to their types where lossless.
    public var bindMarkers: [CQLColumn] { metadata.bindMarkers }
    public var resultColumns: [CQLColumn] { metadata.resultColumns }

    /// Values adapted to the declared bind marker types (integer widths, text and uuid flavours).
    func adapt(_ values: [CQLValue]) -> [CQLValue] {
        values.enumerated().map { index, value in
            bindMarkers.indices.contains(index) ? value.adapted(to: bindMarkers[index].type) : value
        }
    }
}
