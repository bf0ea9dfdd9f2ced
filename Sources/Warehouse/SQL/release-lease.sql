-- Gives up the lease, if the caller holds it. One file for every dialect.
UPDATE etl_state SET lease_owner = NULL, lease_expires_at = NULL WHERE source = :source AND lease_owner = :owner
