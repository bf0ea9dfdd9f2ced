import JobPulseCore

/// Synthetic but realistic tracking traffic: rows shaped like the real log (browser events with
/// their ids only in `ed`, ids as strings and lists, page views without a kind, odd user agents
/// and page titles with commas and quotes, late events, and a few rows with a broken `ts`), plus
/// the job dimension they refer to. Deterministic for a given seed.
public struct TrafficGenerator: Sendable {
    public let model: TrafficModel
    public let jobs: [JobRecord]
    public private(set) var tally = GeneratorTally()
    private var random: SplitMix64
    private let jobWeights: [Double]
    private let publisherWeights: [Double]
    private var sequence: UInt64 = 0

    public init(seed: UInt64 = 1, model: TrafficModel = .standard) {
        self.model = model
        random = SplitMix64(seed: seed)
        var random = SplitMix64(seed: seed ^ 0x5EED)
        jobs = (0..<model.jobs).map { Self.makeJob(index: $0, model: model, random: &random) }
        // A few jobs get most of the traffic, as on a real job board.
        jobWeights = (0..<model.jobs).map { 1 / Double($0 + 1).squareRoot() }
        publisherWeights = model.publishers.map(\.weight)
    }

    /// One generated row: its 29 fields in CSV order.
    public mutating func nextRow(arrivingAt now: Int64) -> [String] {
        sequence += 1
        tally.received += 1
        let job = jobs[random.pick(weights: jobWeights)]
        let publisher = model.publishers[random.pick(weights: publisherWeights)]
        let kinds = TrafficModel.Kind.allCases
        let kind = kinds[random.pick(weights: kinds.map { publisher.kindWeights[$0] ?? 0 })]

        var time = now - Int64.random(in: 0..<1000, using: &random)
        if random.chance(model.lateShare) {
            time -= Int64.random(in: 3_600_000...21_600_000, using: &random)
            tally.late += 1
        }
        var event = RawEvent()
        let malformed = random.chance(model.malformedShare)
        event[.ts] = malformed ? ["", "yesterday", "2022-13-45 99:00:00", "18/07/2022 07:05"][Int.random(in: 0..<4, using: &random)] : timeText(time)
        event[.createTime] = timeUUID(time)
        event[.id] = String(sequence)
        event[.uid] = "u-\(random.next() % 100_000)"
        event[.ua] = Self.userAgents[Int.random(in: 0..<Self.userAgents.count, using: &random)]
        event[.dt] = "\(job.title ?? "Job"), \(["Remote", "On-site", "Hybrid"][Int.random(in: 0..<3, using: &random)])"
        event[.dl] = "https://jobs.example.com/job/\(job.jobID)?utm_source=\(publisher.name.lowercased())&ref=\"ad\""
        event[.utmSource] = publisher.name
        event[.utmCampaign] = "c\(job.campaignID ?? 0)"
        event[.sr] = ["1920x1080", "390x844", "1366x768"][Int.random(in: 0..<3, using: &random)]
        event[.tz] = "-420"
        event[.v] = "1"

        let isBrowser = random.chance(model.browserShare)
        var attributedJob = job.jobID
        var attributedPublisher = publisher.id
        let bid = Int.random(in: publisher.bidCents, using: &random)
        let bidText = kind == .click && random.chance(model.missingBidShare) ? nil : "\(bid / 100).\(bid % 100 < 10 ? "0" : "")\(bid % 100)"
        event[.bid] = bidText
        if isBrowser {
            var members: [String] = []
            if kind != .pageView { members.append("\"customEvent\":\"\(kind.rawValue)\"") }
            if random.chance(model.unattributedShare) {
                attributedJob = 0
            } else {
                members.append(random.chance(0.5) ? "\"jobId\":\"\(job.jobID)\"" : "\"jobId\":\(job.jobID)")
            }
            if random.chance(model.listedPublisherShare) {
                members.append("\"publisherId\":\"\(publisher.id),1,2,3,5\"")
                attributedPublisher = 0
            } else {
                members.append(random.chance(0.5) ? "\"publisherId\":\(publisher.id)" : "\"publisherId\":\"\(publisher.id)\"")
            }
            members.append("\"campaignId\":\"\(job.campaignID ?? 0)\"")
            members.append("\"groupId\":\(job.groupID ?? 0)")
            members.append("\"page\":{\"path\":\"/job/\(job.jobID)\",\"tags\":[\"a\",\"b\"]}")
            event[.ed] = "{" + members.joined(separator: ",") + "}"
        } else {
            event[.customTrack] = kind == .pageView ? nil : kind.rawValue
            event[.jobID] = String(job.jobID)
            event[.publisherID] = String(publisher.id)
            event[.campaignID] = job.campaignID.map(String.init)
            event[.groupID] = job.groupID.map(String.init)
            event[.ed] = random.chance(0.3) ? "{}" : nil
        }

        if malformed {
            tally.malformed += 1
        } else {
            count(
                kind: kind.eventKind, job: attributedJob, publisher: attributedPublisher,
                bidMicros: kind == .click && bidText != nil ? Int64(bid) * 10_000 : 0)
        }
        return event.values.map { $0 ?? "" }
    }

    private mutating func count(kind: EventKind, job: Int32, publisher: Int32, bidMicros: Int64) {
        switch kind {
        case .click:
            tally.clicks += 1
            tally.spendMicros += bidMicros
            tally.clicksByPublisher[publisher, default: 0] += 1
        case .conversion: tally.conversions += 1
        case .qualified: tally.qualified += 1
        case .unqualified: tally.unqualified += 1
        case .other:
            tally.other += 1
            return
        }
        if job != 0 { tally.funnelByJob[job, default: 0] += 1 }
    }

    /// The three accepted `ts` forms, in the proportions a mixed fleet of trackers writes them.
    private mutating func timeText(_ millis: Int64) -> String {
        switch Int.random(in: 0..<10, using: &random) {
        case 0: return String(millis)
        case 1: return Timestamp.iso8601(millis)
        default: return Timestamp.sql(millis)
        }
    }

    /// A version 1 (time-based) UUID for `create_time`.
    private mutating func timeUUID(_ millis: Int64) -> String {
        let ticks = UInt64(millis) * 10_000 + 0x01B2_1DD2_1381_4000
        let low = UInt32(truncatingIfNeeded: ticks)
        let mid = UInt16(truncatingIfNeeded: ticks >> 32)
        let high = UInt16(truncatingIfNeeded: ticks >> 48) & 0x0FFF | 0x1000
        let tail = random.next()
        func hex<T: BinaryInteger>(_ value: T, _ width: Int) -> String {
            let text = String(value, radix: 16)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(hex(low, 8))-\(hex(mid, 4))-\(hex(high, 4))-\(hex((tail >> 48) & 0x3FFF | 0x8000, 4))-\(hex(tail & 0xFFFF_FFFF_FFFF, 12))"
    }

    static let userAgents = [
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148",
        "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0",
        "JobCrawler/2.1 (+https://crawler.example.org; \"polite\")",
    ]

    static let titles = [
        "Warehouse Associate", "Registered Nurse", "Delivery Driver", "Software Engineer", "Customer Service Rep",
        "Forklift Operator", "Retail Sales Associate", "Data Analyst", "Line Cook", "Electrician",
        "Administrative Assistant", "Truck Driver (CDL-A)", "Dental Hygienist", "Accountant", "Barista",
    ]

    static let cities = ["Austin, TX", "Denver, CO", "Columbus, OH", "Phoenix, AZ", "Raleigh, NC", "Portland, OR"]

    private static func makeJob(index: Int, model: TrafficModel, random: inout SplitMix64) -> JobRecord {
        let jobID = Int32(1000 + index)
        let company = Int32(1 + Int(random.next() % UInt64(model.companies)))
        let campaign = Int32(1 + Int(random.next() % UInt64(model.campaigns)))
        let group = Int32(1 + Int(random.next() % UInt64(model.groups)))
        let title = titles[Int(random.next() % UInt64(titles.count))]
        let city = cities[Int(random.next() % UInt64(cities.count))]
        let text: [String: String] = [
            "created_by": "recruiter\(company)@example.com",
            "created_date": "2026-10-0\(1 + index % 9) 09:00:00",
            "is_active": "1",
            "title": title,
            "description": "We are hiring a \(title) in \(city).\nFull-time, \"great\" benefits, paid training.",
            "work_schedule": ["Full-time", "Part-time", "Shifts"][index % 3],
            "location_state": String(city.suffix(2)),
            "location_list": city,
            "budget": String(500 + index % 20 * 100),
            "status": "OPEN",
            "redirect_url": "https://careers.example.com/apply/\(jobID)",
            "start_date": "2026-10-01",
            "end_date": "2027-03-31",
        ]
        return JobRecord(jobID: jobID, companyID: company, groupID: group, campaignID: campaign, text: text)
    }

    /// A job as a row of the 30-column job export.
    public static func exportRow(_ job: JobRecord) -> [String] {
        JobRecord.columns.map { column in
            switch column {
            case "id": String(job.jobID)
            case "company_id": job.companyID.map(String.init) ?? ""
            case "group_id": job.groupID.map(String.init) ?? ""
            case "campaign_id": job.campaignID.map(String.init) ?? ""
            default: job.text[column] ?? ""
            }
        }
    }
}
