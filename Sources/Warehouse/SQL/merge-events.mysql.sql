-- Adds one grain's deltas to `events`: inserts the row, or adds to the row the grain already has.
-- One statement carries many grains: the line that starts with `VALUES (` is one grain's row,
-- and the statement for n grains repeats that row n times, separated by `, `, with the grains'
-- parameters bound one grain after the other (Sources/Warehouse/MergeRows.swift; the Spark
-- engine expands it by the same rule).
-- Read by the Swift engine and by the Spark engine alike, so that both merge the same way.
-- Parameters of each row, in order: job_id, dates, hours, publisher_id, campaign_id, group_id, hour_start,
-- company_id, clicks, conversion, qualified_application, disqualified_application, spend_micros,
-- spend_hour, bid_set, sources, updated_at (the last three as computed for a new row).
-- Spend saturates at the largest BIGINT instead of overflowing, which would fail the commit and
-- stop the pipeline on whatever absurd bids the lake holds.
-- MySQL applies the assignments left to right, each seeing the ones before, so the derived
-- columns come before the counts they are derived from.
INSERT INTO events (job_id, dates, hours, publisher_id, campaign_id, group_id, hour_start, company_id,
                    clicks, conversion, qualified_application, disqualified_application, spend_micros,
                    spend_hour, bid_set, sources, updated_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON DUPLICATE KEY UPDATE
    bid_set = CASE WHEN clicks + VALUES(clicks) = 0 THEN 0
                   ELSE (CAST(spend_micros AS DOUBLE) + VALUES(spend_micros)) / 1000000.0 / (clicks + VALUES(clicks)) END,
    spend_hour = (CAST(spend_micros AS DOUBLE) + VALUES(spend_micros)) / 1000000.0,
    spend_micros = CASE WHEN spend_micros > 9223372036854775807 - VALUES(spend_micros) THEN 9223372036854775807
                        ELSE spend_micros + VALUES(spend_micros) END,
    clicks = clicks + VALUES(clicks),
    conversion = conversion + VALUES(conversion),
    qualified_application = qualified_application + VALUES(qualified_application),
    disqualified_application = disqualified_application + VALUES(disqualified_application),
    company_id = COALESCE(VALUES(company_id), company_id),
    sources = CASE WHEN FIND_IN_SET(VALUES(sources), sources) > 0 THEN sources ELSE CONCAT(sources, ',', VALUES(sources)) END,
    updated_at = VALUES(updated_at)
