-- Adds one grain's deltas to `events`: inserts the row, or adds to the row the grain already has.
-- One statement carries many grains: the line that starts with `VALUES (` is one grain's row,
-- and the statement for n grains repeats that row n times, separated by `, `, with the grains'
-- parameters bound one grain after the other (Sources/Warehouse/MergeRows.swift; the Spark
-- engine expands it by the same rule).
-- Parameters of each row, in order: job_id, dates, hours, publisher_id, campaign_id, group_id, hour_start,
-- company_id, clicks, conversion, qualified_application, disqualified_application, spend_micros,
-- spend_hour, bid_set, sources, updated_at (the last three as computed for a new row).
-- Spend saturates at the largest BIGINT instead of overflowing, which would fail the commit and
-- stop the pipeline on whatever absurd bids the lake holds.
-- In SQLite every assignment sees the stored row as it was before the statement.
INSERT INTO events (job_id, dates, hours, publisher_id, campaign_id, group_id, hour_start, company_id,
                    clicks, conversion, qualified_application, disqualified_application, spend_micros,
                    spend_hour, bid_set, sources, updated_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (job_id, dates, hours, publisher_id, campaign_id, group_id) DO UPDATE SET
    bid_set = CASE WHEN clicks + excluded.clicks = 0 THEN 0
                   ELSE (CAST(spend_micros AS DOUBLE) + excluded.spend_micros) / 1000000.0 / (clicks + excluded.clicks) END,
    spend_hour = (CAST(spend_micros AS DOUBLE) + excluded.spend_micros) / 1000000.0,
    spend_micros = CASE WHEN spend_micros > 9223372036854775807 - excluded.spend_micros THEN 9223372036854775807
                        ELSE spend_micros + excluded.spend_micros END,
    clicks = clicks + excluded.clicks,
    conversion = conversion + excluded.conversion,
    qualified_application = qualified_application + excluded.qualified_application,
    disqualified_application = disqualified_application + excluded.disqualified_application,
    company_id = COALESCE(excluded.company_id, company_id),
    sources = CASE WHEN instr(',' || sources || ',', ',' || excluded.sources || ',') > 0 THEN sources
                   ELSE sources || ',' || excluded.sources END,
    updated_at = excluded.updated_at
