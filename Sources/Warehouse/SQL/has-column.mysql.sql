-- Whether :table_name has the column :column_name (1 or 0), asked of MySQL's catalogue.
SELECT COUNT(*) AS found FROM information_schema.COLUMNS
WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = :table_name AND COLUMN_NAME = :column_name
