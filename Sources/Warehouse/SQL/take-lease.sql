-- Takes or renews the single-writer lease on a lake: only when nobody holds it, the caller
-- already does, or the holder's lease has expired. Read the row back to learn who holds it.
-- Times are epoch milliseconds. One file for every dialect.
UPDATE etl_state SET lease_owner = :owner, lease_expires_at = :expires_at
WHERE source = :source AND (lease_owner IS NULL OR lease_owner = :owner OR lease_expires_at < :now)
