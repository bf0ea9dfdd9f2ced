-- Moves a lake's committed position, in the same transaction as the batch's merges. It changes
-- one row only while the committing ETL holds the lease and the position is still the one the
-- batch was read after; any other outcome must roll the transaction back.
-- Parameters, in order: new position, now, batch events, batch funnel events, batch other events,
-- events of the batch the ETL could not use (counted in other too), the position of the last of
-- them (or NULL),
-- batch events (again, for the last-batch log), batch grains, batch milliseconds, now,
-- newest event time (ms, or NULL) twice, source, lease owner, the position the batch started after.
UPDATE etl_state SET
    position = ?, updated_at = ?, batches = batches + 1,
    events_total = events_total + ?, funnel_total = funnel_total + ?, other_total = other_total + ?,
    unusable_total = unusable_total + ?, last_unusable_position = COALESCE(?, last_unusable_position),
    last_batch_events = ?, last_batch_grains = ?, last_batch_ms = ?, last_batch_at = ?,
    newest_event_ms = CASE WHEN newest_event_ms IS NULL OR newest_event_ms < ? THEN ? ELSE newest_event_ms END
WHERE source = ? AND lease_owner = ? AND position <=> ?
