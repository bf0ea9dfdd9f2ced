extension CQLValue {
    /// Adapts a value to the type a prepared statement declares for its bind marker,
    /// where that loses nothing: integer widths, text flavours, uuid flavours, and
    /// the same inside collections. Anything else is returned unchanged for the
    /// server to judge.
    func adapted(to type: CQLDataType) -> CQLValue {
        switch (self, type) {
        case (.null, _), (.unset, _):
            return self
        case (_, .int):
            return integerValue.flatMap(Int32.init(exactly:)).map(CQLValue.int) ?? self
        case (_, .bigint):
            return integerValue.map(CQLValue.bigint) ?? self
        case (_, .counter):
            return integerValue.map(CQLValue.counter) ?? self
        case (_, .smallint):
            return integerValue.flatMap(Int16.init(exactly:)).map(CQLValue.smallint) ?? self
        case (_, .tinyint):
            return integerValue.flatMap(Int8.init(exactly:)).map(CQLValue.tinyint) ?? self
        case (.ascii(let string), .varchar):
            return .text(string)
        case (.text(let string), .ascii):
            return .ascii(string)
        case (.uuid(let uuid), .timeuuid):
            return .timeuuid(uuid)
        case (.timeuuid(let uuid), .uuid):
            return .uuid(uuid)
        case (.list(let elements), .list(let elementType)), (.set(let elements), .list(let elementType)):
            return .list(elements.map { $0.adapted(to: elementType) })
        case (.set(let elements), .set(let elementType)), (.list(let elements), .set(let elementType)):
            return .set(elements.map { $0.adapted(to: elementType) })
        case (.map(let entries), .map(let keyType, let valueType)):
            return .map(
                entries.map {
                    CQLMapEntry(key: $0.key.adapted(to: keyType), value: $0.value.adapted(to: valueType))
                })
        default:
            return self
        }
    }
}
