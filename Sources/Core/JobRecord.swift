/// One row of the job dimension: the job export's 30 columns, with the ids the warehouse joins on
/// read as integers.
public struct JobRecord: Sendable, Hashable {
    /// The export's columns, in order. `id` is the job's id (`job_id` in the warehouse).
    public static let columns = [
        "id", "created_by", "created_date", "last_modified_by", "last_modified_date", "is_active",
        "title", "description", "work_schedule", "radius_unit", "location_state", "location_list",
        "role_location", "resume_option", "budget", "status", "error", "template_question_id",
        "template_question_name", "question_form_description", "redirect_url", "start_date",
        "end_date", "close_date", "group_id", "minor_id", "campaign_id", "company_id",
        "history_status", "ref_id",
    ]

    /// The columns kept as text, in export order (all but the four integer ids).
    public static let textColumns = columns.filter { !["id", "group_id", "campaign_id", "company_id"].contains($0) }

    public var jobID: Int32
    public var companyID: Int32?
    public var groupID: Int32?
    public var campaignID: Int32?
    /// The other columns by name (see ``textColumns``); absent or empty values are `nil`.
    public var text: [String: String]

    public init(jobID: Int32, companyID: Int32?, groupID: Int32?, campaignID: Int32?, text: [String: String] = [:]) {
        self.jobID = jobID
        self.companyID = companyID
        self.groupID = groupID
        self.campaignID = campaignID
        self.text = text
    }

    public var title: String? { text["title"] }

    /// Reads a data row laid out as `header` (the export's header, in any order).
    /// Only `id` is required: a row without an integer id is rejected.
    public static func parse(fields: [String], header: [String]) -> Result<JobRecord, RowError> {
        guard fields.count == header.count else {
            return .failure(.fieldCount(expected: header.count, found: fields.count))
        }
        var values: [String: String] = [:]
        for (name, value) in zip(header, fields) where !value.isEmpty { values[name] = value }
        guard let jobID = Normalization.integerID(values["id"]) else {
            return .failure(.badID(values["id"] ?? ""))
        }
        var text: [String: String] = [:]
        for name in textColumns { text[name] = values[name] }
        return .success(
            JobRecord(
                jobID: jobID,
                companyID: Normalization.integerID(values["company_id"]),
                groupID: Normalization.integerID(values["group_id"]),
                campaignID: Normalization.integerID(values["campaign_id"]),
                text: text
            ))
    }

    public enum RowError: Error, Equatable, CustomStringConvertible {
        case fieldCount(expected: Int, found: Int)
        case badID(String)
        public var description: String {
            switch self {
            case .fieldCount(let expected, let found): "expected \(expected) fields, found \(found)"
            case .badID(let value): "id \"\(value)\" is not a job id (a non-negative integer)"
            }
        }
    }
}
