-- An alert's new state and figures, only if its row is still as the evaluator read it (state
-- and episode): of two evaluators, one changes it and sends the notification, the other
-- changes nothing.
UPDATE alert
SET state = :state, episode = :episode, since_ms = :since_ms, evaluated_ms = :evaluated_ms, value = :value,
    threshold = :threshold, message = :message
WHERE alert_key = :alert_key AND state = :previous_state AND episode = :previous_episode
