/// How one merge statement carries many grains. `merge-events.<dialect>.sql` holds the
/// statement for one grain; its line that starts with `VALUES (` holds that grain's row of
/// placeholders. The statement for `n` grains repeats that row `n` times, separated by `, `,
/// and binds the grains' parameters one grain after the other. The Spark engine expands the
/// same file by the same rule (spark/jobpulse_etl/warehouse.py, `expand_rows` and `merge_plan`).
///
/// A batch's grains go out as full statements of ``perStatement`` rows, then the remainder as
/// statements of powers of two, largest first: a batch costs about one statement per thousand
/// grains plus at most ten, and only eleven texts exist per dialect, so every one of them stays
/// prepared on its connection instead of being prepared again for each batch.
enum MergeRows {
    /// 1,024 rows of 17 parameters: 17,408 placeholders, below SQLite's 32,766 and MySQL's
    /// 65,535, and a statement of about 300 kB, far below MySQL's `max_allowed_packet`.
    static let perStatement = 1024

    /// The row counts of the statements that merge `grains` grains, in order.
    static func plan(_ grains: Int) -> [Int] {
        var sizes = Array(repeating: perStatement, count: grains / perStatement)
        var rest = grains % perStatement
        var size = perStatement / 2
        while rest > 0 {
            if rest >= size {
                sizes.append(size)
                rest -= size
            }
            size /= 2
        }
        return sizes
    }

    /// `statement` with its `VALUES (` row repeated `rows` times. The statement is one of the
    /// package's own files, which the tests expand: a file without that line is a build error.
    static func expand(_ statement: String, rows: Int) -> String {
        var lines = statement.split(separator: "\n", omittingEmptySubsequences: false)
        let marker = "VALUES "
        guard let index = lines.firstIndex(where: { $0.hasPrefix(marker + "(") }) else {
            preconditionFailure("the merge statement has no line starting with `VALUES (`")
        }
        let row = lines[index].dropFirst(marker.count)
        lines[index] = Substring(marker + Array(repeating: row, count: rows).joined(separator: ", "))
        return lines.joined(separator: "\n")
    }
}
