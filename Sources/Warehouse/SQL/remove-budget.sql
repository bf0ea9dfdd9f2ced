-- Removes the budget of a campaign or a job. One file for every dialect.
DELETE FROM budget WHERE scope = :scope AND scope_id = :scope_id
