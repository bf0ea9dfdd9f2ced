-- Whether :table_name has an index named :index_name (a count of its columns, 0 when it has
-- none), asked of MySQL's catalogue.
SELECT COUNT(*) AS found FROM information_schema.STATISTICS
WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = :table_name AND INDEX_NAME = :index_name
