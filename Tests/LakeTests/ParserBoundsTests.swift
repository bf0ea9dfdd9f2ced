import JobPulseCore
import JobPulseLake
import JobPulseTestSupport
import Testing

/// No request, event or file can crash a parser or make it work without bound: the attack
/// shapes of the bug reports, each at full size, and the limits' edges.
@Suite struct ParserBoundsTests {
    static let ts = "2026-11-29 10:00:00"
    static let event = #"{"ts":"2026-11-29 10:00:00","custom_track":"click","job_id":"191"}"#

    func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    // MARK: JSON nesting

    @Test func deeplyNestedBodyIsASyntaxErrorNotACrash() {
        let body = [UInt8](repeating: UInt8(ascii: "["), count: 150_000)
        #expect(throws: FlatJSON.SyntaxError(offset: FlatJSON.maxDepth, reason: "nesting deeper than 32 levels")) {
            try IntakeBody.read(body, format: .jsonArray)
        }
        // The same inside an event's object.
        #expect(throws: FlatJSON.SyntaxError.self) {
            try FlatJSON.object(bytes(#"{"ed":"# + String(repeating: "{\"a\":", count: 150_000)))
        }
    }

    @Test func deeplyNestedNDJSONLineRejectsThatLineOnly() throws {
        let deep = #"{"ts":"2026-11-29 10:00:00","ed":"# + String(repeating: "[", count: 150_000)
        let body = bytes(Self.event + "\n" + deep + "\n" + Self.event + "\n")
        let elements = try IntakeBody.read(body, format: .ndjson)
        #expect(elements.count == 3)
        #expect(try elements[0].get()[.jobID] == "191")
        guard case .failure(let error) = elements[1] else {
            Issue.record("the deep line was read")
            return
        }
        #expect(error.reason == "nesting deeper than 32 levels")
        #expect(error.offset == 33 + 31)  // the ed's 32nd bracket, counted from the line's start
        #expect(try elements[2].get()[.jobID] == "191")
    }

    @Test func nestingUpToTheLimitIsRead() throws {
        // The object is level 1, so its member may open 31 more.
        let atLimit = #"{"a":"# + String(repeating: "[", count: 31) + String(repeating: "]", count: 31) + "}"
        let members = try FlatJSON.object(bytes(atLimit))
        #expect(members[0].value == .composite(String(repeating: "[", count: 31) + String(repeating: "]", count: 31)))
        let over = #"{"a":"# + String(repeating: "[", count: 32) + String(repeating: "]", count: 32) + "}"
        #expect(throws: FlatJSON.SyntaxError(offset: 36, reason: "nesting deeper than 32 levels")) { try FlatJSON.object(bytes(over)) }
        // Composites keep their exact source text, white space included.
        let spaced = #"{"ed": { "jobId" : [1, {"x": null}] , "y":"}" } }"#
        #expect(try FlatJSON.object(bytes(spaced))[0].value == .composite(#"{ "jobId" : [1, {"x": null}] , "y":"}" }"#))
        #expect(throws: FlatJSON.SyntaxError(offset: 8, reason: "expected , or ] in an array")) { try FlatJSON.object(bytes(#"{"a":[1 2]}"#)) }
    }

    @Test func overlongNDJSONLineIsRejectedUnread() throws {
        let long = #"{"ts":"2026-11-29 10:00:00","pad":""# + String(repeating: "x", count: IntakeBody.maxLineBytes) + #""}"#
        let elements = try IntakeBody.read(bytes(long + "\n" + Self.event), format: .ndjson)
        #expect(elements.count == 2)
        if case .failure(let error) = elements[0] { #expect(error.reason.contains("longer than")) } else { Issue.record("read") }
        #expect(throws: Never.self) { try elements[1].get() }
    }

    @Test func contentTypesChooseTheFormat() {
        #expect(IntakeBody.Format(contentType: "application/json") == .jsonArray)
        #expect(IntakeBody.Format(contentType: " Application/JSON ; charset=utf-8") == .jsonArray)
        #expect(IntakeBody.Format(contentType: "application/x-ndjson") == .ndjson)
        #expect(IntakeBody.Format(contentType: "text/plain") == nil)
        #expect(IntakeBody.Format(contentType: ";") == nil)
        #expect(IntakeBody.Format(contentType: nil) == nil)
    }

    // MARK: ed

    func normalized(ed: String?) throws -> NormalizedEvent {
        var event = RawEvent()
        event[.ts] = Self.ts
        event[.ed] = ed
        return try Normalization.normalize(event).get()
    }

    @Test func hugeNestedEdReadsAsAbsent() throws {
        let ed = #"{"customEvent":"click","jobId":"191","x":"# + String(repeating: "[", count: 170_000)
        let absent = try normalized(ed: nil)
        #expect(try normalized(ed: ed) == absent)
        #expect(EventDetails(json: ed).members.isEmpty)
        // Deeper than allowed but short: read as absent too, without a limit on its length.
        let deep = #"{"customEvent":"click","jobId":"191","x":"# + String(repeating: "[", count: 40) + String(repeating: "]", count: 40) + "}"
        #expect(try normalized(ed: deep) == absent)
    }

    @Test func edIsReadUpToItsLimit() throws {
        func padded(to length: Int) -> String {
            let head = #"{"customEvent":"click","jobId":"191","pad":""#
            return head + String(repeating: "x", count: length - head.utf8.count - 2) + #""}"#
        }
        let atLimit = padded(to: EventDetails.maxBytes)
        #expect(atLimit.utf8.count == EventDetails.maxBytes)
        #expect(try normalized(ed: atLimit).jobID == 191)
        #expect(try normalized(ed: atLimit).kind == .click)
        #expect(try normalized(ed: padded(to: EventDetails.maxBytes + 1)).jobID == 0)
    }

    @Test func csvRowWithAHugeEdIsImportedAndNormalizes() throws {
        // A 0.7 MB row: the ed column holds 700,000 brackets, under the reader's 1 MiB record limit.
        let ed = #"{""jobId"":""191"",""x"":"# + String(repeating: "[", count: 700_000)
        let text = "ts,custom_track,ed\n" + Self.ts + ",click,\"" + ed + "\"\n"
        var parser = CSVParser()
        let input = bytes(text)
        for start in stride(from: 0, to: input.count, by: 256 * 1024) {
            parser.feed(input[start..<min(start + 256 * 1024, input.count)])
        }
        parser.finish()
        var records: [CSVParser.Record] = []
        while let next = parser.next() { records.append(try next.get()) }
        #expect(records.count == 2)
        let layout = try #require(TrackingCSVLayout(header: records[0].fields))
        var batch = IntakeBatch(origin: "test.csv")
        batch.admit(fields: records[1].fields, layout: layout, location: 2)
        #expect(batch.count == IntakeCount(accepted: 1, rejected: 0))
        let event = try #require(batch.events[0].normalized)
        #expect(event.kind == .click)
        #expect(event.jobID == 0)  // the job was only in the unreadable ed
    }

    // MARK: ts

    @Test func integerEpochsAreReadByMagnitude() throws {
        #expect(try EventTime.parse("1764410400").get() == 1_764_410_400_000)  // seconds: 2025-11-29 10:00
        #expect(try EventTime.parse("1764410400000").get() == 1_764_410_400_000)  // milliseconds
        #expect(try EventTime.parse("1764410400123").get() == 1_764_410_400_123)
        #expect(try EventTime.parse("99999999999").get() == 99_999_999_999_000)  // the largest in seconds
        #expect(try EventTime.parse("100000000000").get() == 100_000_000_000)  // the smallest in milliseconds
        #expect(try EventTime.parse("0").get() == 0)
        #expect(Timestamp.sql(try EventTime.parse("1764410400").get()) == "2025-11-29 10:00:00.000")
        #expect(EventTime.parse("yesterday").failureDescription?.contains("epoch seconds or milliseconds") == true)
    }

    @Test func futureTimesAreRefusedBeyondTheTolerance() throws {
        let now = try EventTime.parse("2026-11-30 12:00:00").get()
        let admission = Admission()
        #expect(admission.futureTolerance == 3_600_000)
        func event(_ ts: String) -> RawEvent {
            var event = RawEvent()
            event[.ts] = ts
            return event
        }
        #expect(admission.check(event("2026-11-30 13:00:00"), now: now) == nil)  // exactly the tolerance
        #expect(admission.check(event("2026-11-30 12:59:59.999"), now: now) == nil)
        #expect(admission.check(event("2026-11-30 11:00:00"), now: now) == nil)
        let late = admission.check(event("2026-11-30 13:00:00.001"), now: now)
        #expect(late == .inFuture("2026-11-30 13:00:00.001", secondsAhead: 3601, toleranceSeconds: 3600))
        #expect(late?.description == #"ts "2026-11-30 13:00:00.001" is 3601 s ahead of the clock that received it (at most 3600 s is accepted)"#)
        let far = admission.check(event("9999-12-31 23:59:59"), now: now)
        guard case .inFuture(_, let ahead, _)? = far else {
            Issue.record("9999-12-31 was admitted: \(String(describing: far))")
            return
        }
        #expect(ahead == (253_402_300_799_000 - now) / 1000)
        #expect(Admission(futureTolerance: 0).check(event("2026-11-30 12:00:00.001"), now: now) != nil)
        #expect(admission.check(event("nonsense"), now: now) == .unreadable("nonsense"))
        #expect(Admission(futureTolerance: .max).check(event("9999-12-31 23:59:59"), now: now) == nil, "no overflow at the widest tolerance")
    }

    @Test func intakeBatchesRefuseFutureEventsByTheSystemClock() {
        var batch = IntakeBatch(origin: "test")
        var event = RawEvent()
        event[.ts] = "9999-12-31 23:59:59"
        batch.admit(event, location: 1, raw: { "far" })
        event[.ts] = Self.ts
        batch.admit(event, location: 2, raw: { "past" })
        #expect(batch.count == IntakeCount(accepted: 1, rejected: 1))
        #expect(batch.rejections.first?.reason.contains("ahead of the clock") == true)
        var loose = IntakeBatch(origin: "test", futureTolerance: 400_000 * 365 * 86_400_000)
        event[.ts] = "9999-12-31 23:59:59"
        loose.admit(event, location: 1, raw: { "" })
        #expect(loose.count.accepted == 1)
    }

    // MARK: money

    @Test func moneySaturatesInsteadOfTrapping() throws {
        var event = RawEvent()
        event[.ts] = Self.ts
        event[.customTrack] = "click"
        event[.jobID] = "7"
        event[.bid] = "999999999999"
        let click = try Normalization.normalize(event).get()
        #expect(click.bidMicros == 999_999_999_999_000_000)
        var metrics = FunnelMetrics()
        for _ in 0..<10 { metrics.add(click) }
        #expect(metrics.clicks == 10)
        #expect(metrics.spendMicros == .max)
        var sum = metrics
        sum += metrics
        #expect(sum.spendMicros == .max && sum.clicks == 20)
        let (aggregate, unreadable) = BatchAggregate.of(Array(repeating: event, count: 10))
        #expect(unreadable == 0)
        #expect(aggregate.deltas.values.first?.spendMicros == .max)
        var merged = aggregate
        merged.merge(aggregate)
        #expect(merged.deltas.values.first == FunnelMetrics(clicks: 20, spendMicros: .max))
        #expect(Saturating.add(Int64.min, -1) == .min)
        #expect(Saturating.add(Int64(5), -7) == -2)
    }

    // MARK: storage URLs

    @Test func urlsThatDoNotParseAreDescribedWithoutTheirPassword() {
        #expect(StorageURL("mysql://jp:Secret@127.0.0.1:notaport/jp") == nil)
        #expect(StorageURL.redacted("mysql://jp:Secret@127.0.0.1:notaport/jp") == "mysql://jp:***@127.0.0.1:notaport/jp")
        #expect(StorageURL.redacted("mysql://jp:p@ss:w@rd@host/db") == "mysql://jp:***@host/db")
        #expect(StorageURL.redacted("mysql://jp:Se/cr?et@host/db") == "mysql://jp:***@host/db")
        #expect(StorageURL.redacted("jp:Secret@host") == "jp:***@host")
        #expect(StorageURL.redacted("sqlite:///var/lib/a@b/lake.db") == "sqlite:///var/lib/a@b/lake.db")
        #expect(StorageURL.redacted("mysql://host:3306/db") == "mysql://host:3306/db")
        #expect(StorageURL.redacted("mysql://jp@host/db") == "mysql://jp@host/db")
        for garbage in ["", ":", "@", ":@", "://", "://:@", "a:@", "\u{0}:\u{FFFF}@", "é:ü@ö", "::::@@@@"] {
            let redacted = StorageURL.redacted(garbage)
            #expect(StorageURL.redacted(redacted) == redacted, "\(garbage)")
        }
        #expect(StorageURL.redacted("x://u:pw@h") == "x://u:***@h")
    }

    @Test func urlsNeverTrapAndAreBounded() throws {
        // `?=` used to split into no parts at all, and trap.
        let odd = try #require(StorageURL("mysql://h/db?=&a=%zz&b=%41&c=%+f"))
        #expect(odd.query == ["": "", "a": "%zz", "b": "A", "c": "%+f"])
        #expect(StorageURL("mysql://h/db?==")?.query == ["": "="])
        let url = try #require(StorageURL("mysql://jp:S%40cret@db:3306/jp"))
        #expect(url.password == "S@cret")
        #expect(!url.description.contains("cret"))
        let long = "mysql://u:p@" + String(repeating: "h", count: StorageURL.maxLength) + "/db"
        #expect(StorageURL(long) == nil)
        #expect(StorageURL("mysql://u:p@h/" + String(repeating: "d", count: StorageURL.maxLength - 20)) != nil)
    }
}

extension Result where Failure == EventTime.ParseError {
    var failureDescription: String? {
        if case .failure(let error) = self { return error.description }
        return nil
    }
}
