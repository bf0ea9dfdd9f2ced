-- Takes the lease from a holder known to be dead (its process on this host is gone), before its
-- expiry. It changes the row only while that holder still has the lease, so of two ETLs taking
-- over at once one wins and the other reads back who holds it. One file for every dialect.
UPDATE etl_state SET lease_owner = :owner, lease_expires_at = :expires_at
WHERE source = :source AND lease_owner = :holder
