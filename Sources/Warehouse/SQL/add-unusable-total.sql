-- Upgrade: the count of events the ETL could not read, added to etl_state after its first
-- release. Run by `migrate` only when the column is missing. One file for every dialect.
ALTER TABLE etl_state ADD COLUMN unusable_total BIGINT NOT NULL DEFAULT 0
