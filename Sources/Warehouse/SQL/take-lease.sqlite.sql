-- Takes or renews the single-writer lease on a lake: only when nobody holds it, the caller
-- already does, or the holder's lease has expired. Read the row back to learn who holds it.
-- Parameters: owner, expiry (epoch ms), source, owner, now (epoch ms).
UPDATE etl_state SET lease_owner = ?, lease_expires_at = ?
WHERE source = ? AND (lease_owner IS NULL OR lease_owner = ? OR lease_expires_at < ?)
