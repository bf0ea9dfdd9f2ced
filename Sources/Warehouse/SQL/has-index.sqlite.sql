-- Whether :table_name has an index named :index_name (1 or 0), asked of SQLite's catalogue.
SELECT COUNT(*) AS found FROM pragma_index_list(:table_name) WHERE name = :index_name
