-- A failed attempt: counted, its reason kept, and the next one scheduled.
UPDATE alert_delivery SET attempts = attempts + 1, next_attempt_ms = :next_attempt_ms, last_error = :last_error
WHERE delivery_id = :delivery_id AND target = :target
