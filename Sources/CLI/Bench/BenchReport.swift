import Foundation

/// The figures of one benchmark scenario.
struct BenchFigures: Sendable {
    var scenario: String
    var figures: [(name: String, value: Double, unit: String)] = []
    var notes: [String] = []

    init(_ scenario: String) { self.scenario = scenario }

    mutating func add(_ name: String, _ value: Double, _ unit: String) { figures.append((name, value, unit)) }
}

/// Prints benchmark figures as a table, or as JSON.
enum BenchReport {
    static func table(_ results: [BenchFigures], cores: Int) -> String {
        var lines = ["JobPulse benchmark on \(cores) cores", ""]
        let width = max(28, results.flatMap { $0.figures.map(\.name.count) }.max() ?? 0)
        for result in results {
            lines.append(result.scenario)
            for figure in result.figures {
                let name = figure.name.padding(toLength: width, withPad: " ", startingAt: 0)
                lines.append("  \(name)  \(format(figure.value)) \(figure.unit)")
            }
            for note in result.notes { lines.append("  note: \(note)") }
            lines.append("")
        }
        return lines.joined(separator: "\n")
    }

    static func json(_ results: [BenchFigures], cores: Int) -> String {
        let scenarios = results.map { result -> [String: Any] in
            [
                "scenario": result.scenario,
                "figures": result.figures.map { ["name": $0.name, "value": $0.value, "unit": $0.unit] },
                "notes": result.notes,
            ]
        }
        let object: [String: Any] = ["cores": cores, "scenarios": scenarios]
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }

    private static func format(_ value: Double) -> String {
        if value >= 100 { return grouped(Int64(value.rounded())) }
        return String(format: value >= 10 ? "%.1f" : "%.3f", value)
    }
}

/// Percentiles of a sample, nearest-rank.
func percentile(_ sorted: [Double], _ p: Double) -> Double {
    guard !sorted.isEmpty else { return .nan }
    let rank = Int((p / 100 * Double(sorted.count)).rounded(.up))
    return sorted[min(max(rank, 1), sorted.count) - 1]
}
