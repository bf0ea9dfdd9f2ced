import JobPulseCore
import Testing

@Suite struct CSVParserTests {
    func parse(_ text: String, chunk: Int = .max) -> [Result<CSVParser.Record, CSVParser.Failure>] {
        var parser = CSVParser(maxRecordBytes: 200)
        var results: [Result<CSVParser.Record, CSVParser.Failure>] = []
        let bytes = Array(text.utf8)
        var index = 0
        while index < bytes.count {
            let end = min(index + chunk, bytes.count)
            parser.feed(bytes[index..<end])
            index = end
            while let next = parser.next() { results.append(next) }
        }
        parser.finish()
        while let next = parser.next() { results.append(next) }
        return results
    }

    @Test func quotedFieldsHoldCommasQuotesAndLineBreaks() throws {
        let text = "a,\"{\"\"jobId\"\":\"\"191\"\",\"\"x\"\":1}\",\"line1\nline2\",\"back\\slash\"\"\",\r\nb,,\"\",c\n"
        let records = try parse(text).map { try $0.get() }
        #expect(records.count == 2)
        #expect(records[0].fields == ["a", #"{"jobId":"191","x":1}"#, "line1\nline2", #"back\slash""#, ""])
        #expect(records[0].line == 1)
        #expect(records[1].fields == ["b", "", "", "c"])
        #expect(records[1].line == 3)
    }

    @Test func chunkBoundariesDoNotMatter() {
        let text = "x,\"a,b\"\r\n\"q\"\"uote\",\"multi\nline\"\nlast,row"
        let whole = parse(text)
        for chunk in [1, 2, 3, 5, 7] {
            #expect(parse(text, chunk: chunk) == whole, "chunk \(chunk)")
        }
        #expect(whole.count == 3)
    }

    @Test func aQuoteLeftOpenCostsOneLine() throws {
        let text = "ok,1\n\"broken,2\nok,3\n"
        let results = parse(text)
        #expect(results.count == 3)
        guard case .failure(let failure) = results[1] else {
            Issue.record("expected a failure")
            return
        }
        #expect(failure.line == 2)
        #expect(failure.text == "\"broken,2")
        #expect(try results[2].get().fields == ["ok", "3"])
        #expect(try results[2].get().line == 3)
    }

    @Test func overlongRecordsAreRefusedAndSkipped() throws {
        let long = "\"" + String(repeating: "x", count: 300) + "\n" + "next,row\n"
        let results = parse(long, chunk: 64)
        #expect(results.count == 2)
        if case .failure(let failure) = results[0] { #expect(failure.reason.contains("longer than 200 bytes")) }
        #expect(try results[1].get().fields == ["next", "row"])
    }

    /// A record's fields, or a failure's line and reason (its text depends on what had arrived).
    func summary(_ result: Result<CSVParser.Record, CSVParser.Failure>) -> String {
        switch result {
        case .success(let record): "\(record.line): \(record.fields)"
        case .failure(let failure): "\(failure.line): \(failure.reason)"
        }
    }

    @Test func recordLimitsDoNotDependOnChunks() throws {
        // 201 bytes of record: refused whole as in chunks (whole, it used to be read).
        let text = "ok,1\n" + String(repeating: "y", count: 201) + "\nok,2\n\"a\"\r\n\r\n"
        let whole = parse(text)
        #expect(whole.count == 4)
        if case .failure(let failure) = whole[1] { #expect(failure.reason.contains("longer than 200 bytes")) } else { Issue.record("read") }
        #expect(try whole[3].get().fields == ["a"])
        for chunk in [1, 2, 3, 64, 199, 200, 201, 202] {
            let chunked = parse(text, chunk: chunk)
            #expect(chunked.map(summary) == whole.map(summary), "chunk \(chunk)")
        }
        // Exactly 200 bytes is read.
        #expect(try parse(String(repeating: "z", count: 200) + "\n")[0].get().fields[0].count == 200)
    }

    @Test func recordsWithTooManyFieldsAreRefusedAndSkipped() throws {
        var parser = CSVParser(maxFields: 29)
        parser.feed(Array((String(repeating: ",", count: 28) + "\n" + String(repeating: ",", count: 29) + "\nlast\n").utf8))
        parser.finish()
        var results: [Result<CSVParser.Record, CSVParser.Failure>] = []
        while let next = parser.next() { results.append(next) }
        #expect(results.count == 3)
        #expect(try results[0].get().fields.count == 29)
        if case .failure(let failure) = results[1] {
            #expect(failure.reason == "record has more than 29 fields")
            #expect(failure.line == 2)
        } else {
            Issue.record("30 fields were read")
        }
        #expect(try results[2].get().fields == ["last"])
    }

    @Test func failuresThatShareAnOpenQuoteDoNotRescanIt() throws {
        // Every line joins the quote the first one leaves open, so every record fails; a full
        // scan per line would read the rest of the file (up to the 1 MiB limit) 300,000 times.
        let lines = 300_000
        let text = "\"" + String(repeating: "\na\",\"", count: lines) + "\nok,1\n"
        var parser = CSVParser()
        parser.feed(Array(text.utf8))
        parser.finish()
        var failures = 0
        var misplaced = 0
        var last: CSVParser.Record?
        while let next = parser.next() {
            switch next {
            case .failure(let failure):
                if failure.line != failures + 1 { misplaced += 1 }
                failures += 1
            case .success(let record): last = record
            }
        }
        #expect(failures == lines + 1)
        #expect(misplaced == 0)
        // `ok,1` opens no quote of its own, so it is read.
        #expect(last?.fields == ["ok", "1"])
        #expect(last?.line == lines + 2)
        // The same rule on a small limit, whole and in chunks: the records after the failed
        // one's reach close at `z"` and are read.
        let small = "\"" + String(repeating: "\na\",\"", count: 60) + "\nz\"\nok,2\n"
        let whole = parse(small)
        #expect(try whole.last?.get().fields == ["ok", "2"])
        for chunk in [1, 7, 64] { #expect(parse(small, chunk: chunk).map(summary) == whole.map(summary), "chunk \(chunk)") }
    }

    @Test func writerQuotesWhatNeedsIt() {
        #expect(CSVWriter.line(["a", "b,c", "say \"hi\"", "x\ny", ""]) == "a,\"b,c\",\"say \"\"hi\"\"\",\"x\ny\",")
    }
}
