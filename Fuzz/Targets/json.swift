// The JSON reader: one object, and a body's array of objects. Invariants: an error's offset
// lies within the input; a body's elements never outnumber its bytes; a composite value is
// itself one readable value (its exact source text, nested no deeper than allowed).

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    do {
        let members = try FlatJSON.object(bytes)
        for (_, value) in members {
            if case .composite(let text) = value {
                // The composite's text, wrapped as a member, must read back as the same value.
                let wrapped = Array("{\"k\":".utf8) + Array(text.utf8) + Array("}".utf8)
                guard let again = try? FlatJSON.object(wrapped), again.count == 1, again[0].value == value else {
                    fatalError("a composite's source text does not read back: \(text)")
                }
            }
        }
    } catch {
        require(error.offset >= 0 && error.offset <= size, "offset \(error.offset) outside 0...\(size)")
    }
    do {
        let elements = try FlatJSON.arrayOfObjects(bytes)
        require(elements.count <= size / 2, "more elements than the bytes allow")
        for case .failure(let error) in elements {
            require(error.offset >= 0 && error.offset < size, "element offset \(error.offset) outside the input")
        }
    } catch {
        require(error.offset >= 0 && error.offset <= size, "offset \(error.offset) outside 0...\(size)")
    }
    return 0
}
