-- An alert's first firing. Ignored when its row exists already: another evaluator wrote it
-- first, and the caller then sends nothing (IGNORE is SQLite's OR IGNORE).
INSERT IGNORE INTO alert (alert_key, rule, scope, scope_id, state, episode, since_ms, evaluated_ms, value, threshold, message)
VALUES (:alert_key, :rule, :scope, :scope_id, :state, :episode, :since_ms, :evaluated_ms, :value, :threshold, :message)
