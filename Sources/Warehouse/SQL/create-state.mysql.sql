-- Creates a lake's etl_state row, with no position yet, unless it exists.
INSERT IGNORE INTO etl_state (source, position, updated_at, lake_identity) VALUES (:source, NULL, :now, :lake_identity)
