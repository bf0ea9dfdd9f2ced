-- Upgrade: the position of the last event the ETL could not read, added to etl_state after its
-- first release. Run by `migrate` only when the column is missing.
ALTER TABLE etl_state ADD COLUMN last_unusable_position VARCHAR(191) NULL
