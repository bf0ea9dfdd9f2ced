-- Before a job's export row is stored again: drops the budget its previous export gave it, so
-- that an export whose `budget` is now empty leaves the job without one. A budget set by hand
-- stays. One file for every dialect.
DELETE FROM budget WHERE scope = 'job' AND scope_id = :job_id AND origin = 'job-export'
