-- Whether :table_name has the column :column_name (1 or 0), asked of SQLite's catalogue.
SELECT COUNT(*) AS found FROM pragma_table_info(:table_name) WHERE name = :column_name
