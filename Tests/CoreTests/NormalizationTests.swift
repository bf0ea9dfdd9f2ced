import JobPulseCore
import Testing

/// Each normalization rule of the design, on rows shaped like the real tracking log.
@Suite struct NormalizationTests {
    func event(_ fields: [TrackingField: String]) -> RawEvent {
        var event = RawEvent()
        event[.ts] = "2022-07-18 07:05:11.130"
        for (field, value) in fields { event[field] = value }
        return event
    }

    func normalized(_ fields: [TrackingField: String]) throws -> NormalizedEvent {
        try Normalization.normalize(event(fields)).get()
    }

    @Test func kindComesFromCustomTrackThenFromEd() throws {
        #expect(try normalized([.customTrack: "click"]).kind == .click)
        #expect(try normalized([.ed: #"{"customEvent":"qualified","jobId":"191"}"#]).kind == .qualified)
        // The column wins over ed.
        #expect(try normalized([.customTrack: "conversion", .ed: #"{"customEvent":"click"}"#]).kind == .conversion)
        #expect(try normalized([.customTrack: "unqualified"]).kind == .unqualified)
    }

    @Test func unknownOrMissingKindsAreOther() throws {
        for kind in ["alive", "interview_scheduled", "redirect", "Click", " click"] {
            #expect(try normalized([.customTrack: kind]).kind == .other, "\(kind)")
        }
        #expect(try normalized([:]).kind == .other)
        #expect(try normalized([.ed: #"{"jobId":"191"}"#]).kind == .other)
        #expect(try normalized([.ed: #"{"customEvent":7}"#]).kind == .other)
    }

    @Test func jobOnlyInEdIsAttributed() throws {
        let e = try normalized([.ed: #"{"customEvent":"click","jobId":"191","publisherId":0}"#])
        #expect(e.jobID == 191)
        #expect(e.publisherID == 0)
        #expect(try normalized([.ed: #"{"customEvent":"click","jobId":191}"#]).jobID == 191)
    }

    @Test func columnIdsWinOverEd() throws {
        let e = try normalized([
            .jobID: "12", .publisherID: "3", .campaignID: "4", .groupID: "5",
            .ed: #"{"jobId":"99","publisherId":"98","campaignId":"97","groupId":"96"}"#,
        ])
        #expect((e.jobID, e.publisherID, e.campaignID, e.groupID) == (12, 3, 4, 5))
    }

    @Test func idsFallBackToEdWhenColumnsAreNotIntegers() throws {
        let e = try normalized([
            .jobID: "abc", .publisherID: "1.5", .campaignID: "",
            .ed: #"{"jobId":"7","publisherId":8,"campaignId":"9","groupId":10}"#,
        ])
        #expect((e.jobID, e.publisherID, e.campaignID, e.groupID) == (7, 8, 9, 10))
    }

    @Test func listsAndOddIdsBecomeZero() throws {
        let e = try normalized([.ed: #"{"customEvent":"click","jobId":"191","publisherId":"4,1,2,3,5","campaignId":[1,2],"groupId":"x"}"#])
        #expect(e.jobID == 191)
        #expect((e.publisherID, e.campaignID, e.groupID) == (0, 0, 0))
        for odd in ["-3", "191.0", "1e3", " 7", "7 ", "99999999999", "2147483648", "0x10"] {
            #expect(Normalization.integerID(odd) == nil, "\(odd)")
            #expect(try normalized([.ed: "{\"jobId\":\"\(odd)\"}"]).jobID == 0, "\(odd)")
        }
        #expect(Normalization.integerID("2147483647") == 2_147_483_647)
        #expect(try normalized([.ed: #"{"jobId":191.0}"#]).jobID == 0)
        #expect(try normalized([.ed: #"{"jobId":null}"#]).jobID == 0)
        #expect(try normalized([.ed: #"{"jobId":true}"#]).jobID == 0)
    }

    @Test func brokenEdTellsNothing() throws {
        let broken = [
            #"{"jobId":"191""#, "not json", "[1,2]", #""191""#, "{jobId:191}", #"{"jobId":"191"} trailing"#,
            #"{"jobId":"191","page":[1,]}"#, #"{"jobId":"191","note":"\q"}"#, #"{"jobId":"191","page":{"a":}}"#,
        ]
        for ed in broken {
            let e = try normalized([.customTrack: "click", .ed: ed])
            #expect(e.jobID == 0, "\(ed)")
            #expect(e.kind == .click)
        }
    }

    @Test func edWithEscapesAndNestingIsRead() throws {
        let e = try normalized([.ed: #"{"page":{"jobId":"1","x":[{"a":"}"}]},"note":"say \"hi\", ok\u00e9","customEvent":"click","jobId":"42"}"#])
        #expect(e.jobID == 42)
        #expect(e.kind == .click)
        let note = try FlatJSON.object(Array(#"{"note":"say \"hi\", ok\u00e9 \ud83d\ude00"}"#.utf8)).first?.value
        #expect(note == .string("say \"hi\", oké 😀"))
    }

    @Test func bidIsANonNegativeDecimalElseZero() {
        #expect(Normalization.bidMicros("1.25") == 1_250_000)
        #expect(Normalization.bidMicros("12") == 12_000_000)
        #expect(Normalization.bidMicros(".5") == 500_000)
        #expect(Normalization.bidMicros("0.1234567") == 123_456)
        for bad in ["-1", "abc", "1,5", "1.2.3", "", ".", "1e2", " 1", "NaN"] {
            #expect(Normalization.bidMicros(bad) == 0, "\(bad)")
        }
        #expect(Normalization.bidMicros(nil) == 0)
    }

    @Test func onlyClicksSpend() throws {
        var metrics = FunnelMetrics()
        metrics.add(try normalized([.customTrack: "click", .bid: "0.40"]))
        metrics.add(try normalized([.customTrack: "conversion", .bid: "9.99"]))
        metrics.add(try normalized([.customTrack: "alive", .bid: "9.99"]))
        metrics.add(try normalized([.customTrack: "click", .bid: "oops"]))
        #expect(metrics == FunnelMetrics(clicks: 2, conversions: 1, spendMicros: 400_000))
        #expect(metrics.averageBid == 0.2)
    }

    @Test func timeFormsAndUTCPlacement() throws {
        let cases: [(String, String, Int)] = [
            ("2022-07-18 07:05:11.130", "2022-07-18", 7),
            ("2022-07-18 23:59:59", "2022-07-18", 23),
            ("2022-07-18T07:05:11Z", "2022-07-18", 7),
            ("2022-07-18T07:05:11.5+02:00", "2022-07-18", 5),
            ("2022-07-18T01:05:11-0300", "2022-07-18", 4),
            ("2022-07-18T23:30:00-01:00", "2022-07-19", 0),
            ("1658127911130", "2022-07-18", 7),
            ("1658127911", "2022-07-18", 7),  // epoch seconds, told apart by magnitude
            ("99999999999", "5138-11-16", 9),  // the largest epoch read as seconds
            ("100000000000", "1973-03-03", 9),  // the smallest read as milliseconds
            ("2024-02-29 12:00:00", "2024-02-29", 12),
        ]
        for (ts, date, hour) in cases {
            let e = try Normalization.normalize(event([.ts: ts])).get()
            #expect(e.hour.date == date, "\(ts)")
            #expect(e.hour.hour == hour, "\(ts)")
        }
        #expect(try EventTime.parse("2022-07-18 07:05:11.130").get() == 1_658_127_911_130)
        #expect(try EventTime.parse("2022-07-18T09:05:11.130+02:00").get() == 1_658_127_911_130)
    }

    @Test func unreadableTimesAreRejectedWithTheReason() throws {
        let bad = [
            "", "yesterday", "2022-13-01 10:00:00", "2023-02-29 10:00:00", "2022-07-18 24:00:00",
            "2022-07-18T07:05:11", "18/07/2022 07:05", "2022-07-18 07:05", "2022-07-18 07:05:11.", "-5",
            "1969-12-31 23:59:59", "2022-07-18 07:05:11 UTC",
        ]
        for ts in bad {
            var e = RawEvent()
            e[.ts] = ts
            guard case .failure(let error) = Normalization.normalize(e) else {
                Issue.record("\(ts) was accepted")
                continue
            }
            #expect(error.description.hasPrefix("ts"), "\(error)")
        }
        #expect(Admission().check(RawEvent(), now: 0) == .missing)
        #expect(EventTime.parse("9999999999999999") == .failure(.outOfRange("9999999999999999")))
        #expect(EventTime.parse("253402300800000") == .failure(.outOfRange("253402300800000")))
        #expect(try EventTime.parse("253402300799999").get() == 253_402_300_799_999)
    }

    @Test func anEdThatCannotBeReadTellsNothing() throws {
        let absent = try normalized([.customTrack: "click"])
        for ed in [
            #"{"jobId":"191""#, "[" + String(repeating: "[", count: 100),
            #"{"jobId":"191","x":"# + String(repeating: "{\"a\":", count: 40) + "1" + String(repeating: "}", count: 41),
            #"{"jobId":"191","pad":""# + String(repeating: " ", count: EventDetails.maxBytes) + #""}"#,
        ] {
            #expect(try normalized([.customTrack: "click", .ed: ed]) == absent, "\(ed.prefix(40))")
        }
        #expect(try normalized([.customTrack: "click", .ed: #"{"jobId":"191"}"#]).jobID == 191)
    }

    @Test func aggregationAccountsForEveryEvent() throws {
        var aggregate = BatchAggregate()
        let rows: [[TrackingField: String]] = [
            [.customTrack: "click", .jobID: "1", .bid: "1.00"],
            [.customTrack: "click", .jobID: "1", .bid: "0.50"],
            [.ed: #"{"customEvent":"click","jobId":"1"}"#, .bid: "0.25"],
            [.customTrack: "qualified", .jobID: "1"],
            [.customTrack: "alive", .jobID: "1"],
            [.jobID: "1"],
            [.customTrack: "click", .jobID: "1", .ts: "2022-07-18 08:00:00"],
        ]
        for row in rows { aggregate.add(try normalized(row)) }
        #expect(aggregate.funnel == 5)
        #expect(aggregate.other == 2)
        #expect(aggregate.deltas.count == 2)
        let seven = Grain(jobID: 1, hour: UTCHour(date: "2022-07-18", hour: 7)!, publisherID: 0, campaignID: 0, groupID: 0)
        #expect(aggregate.deltas[seven] == FunnelMetrics(clicks: 3, qualified: 1, spendMicros: 1_750_000))
    }
}
