import JobPulseWarehouse

/// From the alerts the warehouse holds and the conditions that hold now, the changes to write:
/// a condition without a firing alert fires one (a new episode), a firing alert whose condition
/// no longer holds is resolved, and a firing alert whose figures moved gets them (no
/// notification). Nothing else changes, so an evaluation that finds what the last one found
/// writes nothing.
public enum AlertTransitions {
    public static func changes(stored: [AlertRecord], conditions: [AlertCondition], now: Int64) -> [AlertChange] {
        let byKey = Dictionary(stored.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        var holding = Set<String>()
        var changes: [AlertChange] = []
        for condition in conditions {
            let key = condition.key
            guard holding.insert(key).inserted else { continue }
            let previous = byKey[key]
            var record = AlertRecord(
                key: key, rule: condition.rule.rawValue, scope: condition.scope, scopeID: condition.scopeID, state: .firing,
                episode: (previous?.episode ?? 0) + 1, since: now, evaluatedAt: now, value: condition.value, threshold: condition.threshold,
                message: condition.message)
            let expected = previous.map { AlertChange.Previous(state: $0.state, episode: $0.episode) }
            if let previous, previous.state == .firing {
                guard previous.value != record.value || previous.threshold != record.threshold || previous.message != record.message else { continue }
                record.episode = previous.episode
                record.since = previous.since
                changes.append(AlertChange(record: record, previous: expected, notification: nil))
            } else {
                changes.append(AlertChange(record: record, previous: expected, notification: AlertNotification(record).text))
            }
        }
        for alert in stored where alert.state == .firing && !holding.contains(alert.key) {
            var record = alert
            record.state = .resolved
            record.since = now
            record.evaluatedAt = now
            changes.append(
                AlertChange(
                    record: record, previous: AlertChange.Previous(state: .firing, episode: alert.episode),
                    notification: AlertNotification(record).text))
        }
        return changes
    }
}
