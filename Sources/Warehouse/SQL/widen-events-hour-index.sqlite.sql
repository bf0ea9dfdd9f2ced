-- Upgrade: drops `events_hour_start`, the index of earlier versions on `hour_start` alone, which
-- `events_hour_jobs` (built by `create-tables` just before) replaces. Run by `migrate` only when
-- the old index exists.
DROP INDEX events_hour_start
