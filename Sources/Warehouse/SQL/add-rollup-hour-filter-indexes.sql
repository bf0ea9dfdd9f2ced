-- Upgrade: indexes of `rollup_hour` by the dashboard's filters, so that the hourly chart of one
-- publisher, campaign or pair reads that selection's hours instead of every pair of every hour
-- in the range (its key starts with the hour). Run by `migrate` when `rollup_hour_pair` is
-- missing, a new warehouse's included; only new rows of `rollup_hour` (a new hour and pair)
-- change them, so a commit's updates do not.

CREATE INDEX rollup_hour_pair ON rollup_hour (publisher_id, campaign_id, hour_start);

CREATE INDEX rollup_hour_campaign ON rollup_hour (campaign_id, hour_start)
