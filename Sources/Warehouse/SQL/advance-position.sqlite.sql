-- Moves a lake's committed position, in the same transaction as the batch's merges. It changes
-- one row only while the committing ETL holds the lease and the position is still the one the
-- batch was read after (:start, NULL before the first batch); any other outcome must roll the
-- transaction back. :events counts the batch's events, :funnel and :other split them, :unusable
-- are those of :other the ETL could not read (:last_unusable the position of the last, or NULL),
-- :grains the rows merged, :milliseconds the batch's time, :newest_event_ms the newest event time
-- (epoch ms, or NULL). The <=> of MySQL is SQLite's IS: the only difference between the two files.
UPDATE etl_state SET
    position = :position, updated_at = :now, batches = batches + 1,
    events_total = events_total + :events, funnel_total = funnel_total + :funnel, other_total = other_total + :other,
    unusable_total = unusable_total + :unusable, last_unusable_position = COALESCE(:last_unusable, last_unusable_position),
    last_batch_events = :events, last_batch_grains = :grains, last_batch_ms = :milliseconds, last_batch_at = :now,
    newest_event_ms = CASE WHEN newest_event_ms IS NULL OR newest_event_ms < :newest_event_ms THEN :newest_event_ms ELSE newest_event_ms END
WHERE source = :source AND lease_owner = :owner AND position IS :start
