-- Upgrade: drops `events_job`, an index of earlier versions that duplicated the first column of
-- the unique grain key (every index costs every merge an entry). Run by `migrate` only when the
-- index exists.
DROP INDEX events_job
