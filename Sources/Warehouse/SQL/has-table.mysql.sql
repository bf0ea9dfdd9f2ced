-- Whether the table :table_name exists (1 or 0), asked of MySQL's catalogue.
SELECT COUNT(*) AS found FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = :table_name
