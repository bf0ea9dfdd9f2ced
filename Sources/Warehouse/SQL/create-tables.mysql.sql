-- The warehouse's tables (MySQL/MariaDB), run by `jobpulse migrate` and at every start; each statement
-- leaves an existing table as it is (columns added later are in the add-*.sql files).
--
-- `events` is the design's fact table, one row per grain, with two additions that make the
-- exactly-once merge exact and the time filters cheap:
-- - `spend_micros`, the spend in integer millionths: deltas add up exactly whatever the batch
--   boundaries, and `spend_hour` / `bid_set` are recomputed from it on every merge;
-- - `hour_start`, the start of the row's hour as a date-time, for range filters (and Grafana's
--   `$__timeFilter`).
-- Each index has its query: the unique grain key is the merge's conflict key (and, job_id first,
-- serves every lookup by job); `events_hour_jobs` serves the range filters of the dashboard and
-- of Grafana's `$__timeFilter`, and holds every column the panels per job sum, so that the hours
-- at a range's ends are read from the index alone, in hour order (MariaDB would otherwise scan
-- the whole table for a day of a large warehouse).
-- MySQL 8 has no CREATE INDEX IF NOT EXISTS, so here the index lives in the table.
--
-- `job` holds the job export's columns: the four ids as integers, the other 26 as text, in the
-- export's order (JobRecord.columns).
--
-- `budget` holds one amount per campaign or job (`scope`, `scope_id`) and period: `daily`,
-- `monthly`, or `lifetime` from `starts_on` through `ends_on` (NULL: no end); the amount in
-- millionths, as spend is counted; `origin` `manual` (set by hand) or `job-export` (the job
-- export's `budget` column, a default that one set by hand replaces).
--
-- `alert` holds the state of every alert that ever fired, one row per alert key (its rule, its
-- threshold and its subject): `firing` or `resolved`, since when, the how-many-th time it fired
-- (`episode`), and the figures of its last evaluation. A restart reads it back, so that it
-- neither repeats nor forgets one. `alert_delivery` is the webhook outbox: one row per
-- notification and webhook (`target`, a digest of the URL, which may hold a token), written in
-- the transaction that changes the alert's state and deleted once the webhook took it.
CREATE TABLE IF NOT EXISTS events (
    id INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    job_id INT NOT NULL,
    dates DATE NOT NULL,
    hours INT NOT NULL,
    hour_start DATETIME(3) NOT NULL,
    disqualified_application INT NOT NULL DEFAULT 0,
    qualified_application INT NOT NULL DEFAULT 0,
    conversion INT NOT NULL DEFAULT 0,
    company_id INT NULL,
    group_id INT NOT NULL,
    campaign_id INT NOT NULL,
    publisher_id INT NOT NULL,
    bid_set DOUBLE NOT NULL DEFAULT 0,
    clicks INT NOT NULL DEFAULT 0,
    spend_hour DOUBLE NOT NULL DEFAULT 0,
    spend_micros BIGINT NOT NULL DEFAULT 0,
    sources VARCHAR(191) NOT NULL,
    updated_at DATETIME(3) NOT NULL,
    UNIQUE (job_id, dates, hours, publisher_id, campaign_id, group_id),
    INDEX events_hour_jobs (hour_start, job_id, publisher_id, campaign_id, company_id, clicks, conversion, qualified_application, disqualified_application, spend_micros)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS job (
    job_id INT NOT NULL PRIMARY KEY,
    company_id INT NULL,
    group_id INT NULL,
    campaign_id INT NULL,
    created_by TEXT NULL,
    created_date TEXT NULL,
    last_modified_by TEXT NULL,
    last_modified_date TEXT NULL,
    is_active TEXT NULL,
    title TEXT NULL,
    description TEXT NULL,
    work_schedule TEXT NULL,
    radius_unit TEXT NULL,
    location_state TEXT NULL,
    location_list TEXT NULL,
    role_location TEXT NULL,
    resume_option TEXT NULL,
    budget TEXT NULL,
    status TEXT NULL,
    error TEXT NULL,
    template_question_id TEXT NULL,
    template_question_name TEXT NULL,
    question_form_description TEXT NULL,
    redirect_url TEXT NULL,
    start_date TEXT NULL,
    end_date TEXT NULL,
    close_date TEXT NULL,
    minor_id TEXT NULL,
    history_status TEXT NULL,
    ref_id TEXT NULL,
    imported_at DATETIME(3) NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS budget (
    scope VARCHAR(16) NOT NULL,
    scope_id INT NOT NULL,
    amount_micros BIGINT NOT NULL,
    period VARCHAR(16) NOT NULL,
    starts_on DATE NULL,
    ends_on DATE NULL,
    currency VARCHAR(16) NULL,
    origin VARCHAR(16) NOT NULL,
    updated_at DATETIME(3) NOT NULL,
    PRIMARY KEY (scope, scope_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS alert (
    alert_key VARCHAR(191) NOT NULL PRIMARY KEY,
    rule VARCHAR(32) NOT NULL,
    scope VARCHAR(16) NOT NULL,
    scope_id INT NULL,
    state VARCHAR(16) NOT NULL,
    episode INT NOT NULL,
    since_ms BIGINT NOT NULL,
    evaluated_ms BIGINT NOT NULL,
    value DOUBLE NOT NULL,
    threshold DOUBLE NOT NULL,
    message TEXT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS alert_delivery (
    delivery_id VARCHAR(191) NOT NULL,
    target VARCHAR(32) NOT NULL,
    body TEXT NOT NULL,
    attempts INT NOT NULL DEFAULT 0,
    next_attempt_ms BIGINT NOT NULL,
    last_error VARCHAR(255) NULL,
    PRIMARY KEY (delivery_id, target)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS etl_state (
    source VARCHAR(191) NOT NULL PRIMARY KEY,
    position VARCHAR(191) NULL,
    updated_at DATETIME(3) NOT NULL,
    lake_identity VARCHAR(191) NOT NULL,
    lease_owner VARCHAR(191) NULL,
    lease_expires_at BIGINT NULL,
    batches BIGINT NOT NULL DEFAULT 0,
    events_total BIGINT NOT NULL DEFAULT 0,
    funnel_total BIGINT NOT NULL DEFAULT 0,
    other_total BIGINT NOT NULL DEFAULT 0,
    last_batch_events BIGINT NULL,
    last_batch_grains BIGINT NULL,
    last_batch_ms BIGINT NULL,
    last_batch_at DATETIME(3) NULL,
    newest_event_ms BIGINT NULL,
    unusable_total BIGINT NOT NULL DEFAULT 0,
    last_unusable_position VARCHAR(191) NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
