-- Whether the table :table_name exists (1 or 0), asked of SQLite's catalogue.
SELECT COUNT(*) AS found FROM sqlite_master WHERE type = 'table' AND name = :table_name
