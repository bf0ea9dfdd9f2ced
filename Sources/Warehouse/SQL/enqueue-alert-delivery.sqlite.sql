-- A notification for one webhook, due at once; a second copy of it is ignored.
INSERT OR IGNORE INTO alert_delivery (delivery_id, target, body, attempts, next_attempt_ms, last_error)
VALUES (:delivery_id, :target, :body, 0, :next_attempt_ms, NULL)
