-- Gives a job's fact rows the company its export names, touching only the rows whose company
-- differs (NULL included): re-importing an unchanged export writes nothing. SQLite's IS is
-- MySQL's <=>: the only difference between the two files.
UPDATE events SET company_id = :company_id, updated_at = :now
WHERE job_id = :job_id AND NOT (company_id IS :company_id)
