-- The job export's `budget` as the job's lifetime budget, unless one was set by hand (which the
-- primary key then keeps: the row is ignored). SQLite's INSERT OR IGNORE is MySQL's INSERT IGNORE.
INSERT OR IGNORE INTO budget (scope, scope_id, amount_micros, period, starts_on, ends_on, currency, origin, updated_at)
VALUES ('job', :job_id, :amount_micros, 'lifetime', :starts_on, :ends_on, NULL, 'job-export', :now)
