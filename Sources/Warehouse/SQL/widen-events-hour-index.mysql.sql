-- Upgrade: replaces `events_hour_start`, the index of earlier versions on `hour_start` alone, by
-- `events_hour_jobs`, which adds the columns the panels per job sum (`create-tables`). Run by
-- `migrate` only when the old index exists; it reads every row of `events` once.
ALTER TABLE events ADD INDEX events_hour_jobs (hour_start, job_id, publisher_id, campaign_id, company_id, clicks, conversion, qualified_application, disqualified_application, spend_micros), DROP INDEX events_hour_start
