-- Sets the budget of a campaign or a job (:scope, :scope_id), replacing the one it had: a
-- scope has one budget at a time. One file for every dialect (REPLACE is both SQLite's and
-- MySQL's).
REPLACE INTO budget (scope, scope_id, amount_micros, period, starts_on, ends_on, currency, origin, updated_at)
VALUES (:scope, :scope_id, :amount_micros, :period, :starts_on, :ends_on, :currency, :origin, :now)
