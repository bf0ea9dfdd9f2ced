-- Gives up the lease, if the caller holds it. Parameters: source, owner.
UPDATE etl_state SET lease_owner = NULL, lease_expires_at = NULL WHERE source = ? AND lease_owner = ?
