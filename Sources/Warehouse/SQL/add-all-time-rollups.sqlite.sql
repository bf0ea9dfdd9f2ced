-- The funnel's sums over all time (SQLite): per job, publisher and campaign (`rollup_job`), and
-- per publisher and campaign (`rollup_pair`). What the panels read for a range without bounds:
-- one row per job or pair, however many days the history holds. Kept like the other rollups
-- (`add-rollups`): by triggers on `events`, in the transaction of every change to `events`; their
-- first rows come from the day rollups.
--
-- Run once by `migrate` when `rollup_job` is missing, after `add-rollups`. Stop the ETL while it
-- runs (a commit between the copy and the triggers would be missed).

CREATE TABLE rollup_job (
    job_id INT NOT NULL,
    publisher_id INT NOT NULL,
    campaign_id INT NOT NULL,
    company_id INT NULL,
    grains BIGINT NOT NULL DEFAULT 0,
    clicks BIGINT NOT NULL DEFAULT 0,
    conversion BIGINT NOT NULL DEFAULT 0,
    qualified_application BIGINT NOT NULL DEFAULT 0,
    disqualified_application BIGINT NOT NULL DEFAULT 0,
    spend_micros BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (job_id, publisher_id, campaign_id)
);

CREATE TABLE rollup_pair (
    publisher_id INT NOT NULL,
    campaign_id INT NOT NULL,
    grains BIGINT NOT NULL DEFAULT 0,
    clicks BIGINT NOT NULL DEFAULT 0,
    conversion BIGINT NOT NULL DEFAULT 0,
    qualified_application BIGINT NOT NULL DEFAULT 0,
    disqualified_application BIGINT NOT NULL DEFAULT 0,
    spend_micros BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (publisher_id, campaign_id)
);

INSERT INTO rollup_job (job_id, publisher_id, campaign_id, company_id, grains, clicks, conversion, qualified_application, disqualified_application, spend_micros)
SELECT r.job_id, r.publisher_id, r.campaign_id, MAX(r.company_id), SUM(r.grains), SUM(r.clicks), SUM(r.conversion), SUM(r.qualified_application),
       SUM(r.disqualified_application), CAST(MIN(TOTAL(r.spend_micros), 9223372036854775807.0) AS INTEGER)
FROM rollup_job_day r GROUP BY r.job_id, r.publisher_id, r.campaign_id;

INSERT INTO rollup_pair (publisher_id, campaign_id, grains, clicks, conversion, qualified_application, disqualified_application, spend_micros)
SELECT r.publisher_id, r.campaign_id, SUM(r.grains), SUM(r.clicks), SUM(r.conversion), SUM(r.qualified_application),
       SUM(r.disqualified_application), CAST(MIN(TOTAL(r.spend_micros), 9223372036854775807.0) AS INTEGER)
FROM rollup_day r GROUP BY r.publisher_id, r.campaign_id;

CREATE TRIGGER rollup_job_after_insert AFTER INSERT ON events BEGIN
    INSERT INTO rollup_job (job_id, publisher_id, campaign_id, company_id, grains, clicks, conversion, qualified_application, disqualified_application, spend_micros)
        VALUES (NEW.job_id, NEW.publisher_id, NEW.campaign_id, NEW.company_id, 1, NEW.clicks, NEW.conversion, NEW.qualified_application, NEW.disqualified_application, NEW.spend_micros)
        ON CONFLICT (job_id, publisher_id, campaign_id) DO UPDATE SET
            grains = grains + 1,
            clicks = clicks + excluded.clicks,
            conversion = conversion + excluded.conversion,
            qualified_application = qualified_application + excluded.qualified_application,
            disqualified_application = disqualified_application + excluded.disqualified_application,
            spend_micros = CASE WHEN spend_micros > 9223372036854775807 - (excluded.spend_micros) THEN 9223372036854775807 ELSE spend_micros + (excluded.spend_micros) END,
            company_id = COALESCE(excluded.company_id, company_id);
END;

CREATE TRIGGER rollup_job_after_update AFTER UPDATE ON events BEGIN
    UPDATE rollup_job SET clicks = clicks + NEW.clicks - OLD.clicks, conversion = conversion + NEW.conversion - OLD.conversion, qualified_application = qualified_application + NEW.qualified_application - OLD.qualified_application, disqualified_application = disqualified_application + NEW.disqualified_application - OLD.disqualified_application, spend_micros = CASE WHEN spend_micros > 9223372036854775807 - (NEW.spend_micros - OLD.spend_micros) THEN 9223372036854775807 ELSE spend_micros + (NEW.spend_micros - OLD.spend_micros) END, company_id = NEW.company_id
    WHERE job_id = NEW.job_id AND publisher_id = NEW.publisher_id AND campaign_id = NEW.campaign_id;
END;

CREATE TRIGGER rollup_job_after_delete AFTER DELETE ON events BEGIN
    UPDATE rollup_job SET grains = grains - 1, clicks = clicks - OLD.clicks, conversion = conversion - OLD.conversion, qualified_application = qualified_application - OLD.qualified_application, disqualified_application = disqualified_application - OLD.disqualified_application, spend_micros = spend_micros - OLD.spend_micros
    WHERE job_id = OLD.job_id AND publisher_id = OLD.publisher_id AND campaign_id = OLD.campaign_id;
END;

CREATE TRIGGER rollup_pair_after_insert AFTER INSERT ON events BEGIN
    INSERT INTO rollup_pair (publisher_id, campaign_id, grains, clicks, conversion, qualified_application, disqualified_application, spend_micros)
        VALUES (NEW.publisher_id, NEW.campaign_id, 1, NEW.clicks, NEW.conversion, NEW.qualified_application, NEW.disqualified_application, NEW.spend_micros)
        ON CONFLICT (publisher_id, campaign_id) DO UPDATE SET
            grains = grains + 1,
            clicks = clicks + excluded.clicks,
            conversion = conversion + excluded.conversion,
            qualified_application = qualified_application + excluded.qualified_application,
            disqualified_application = disqualified_application + excluded.disqualified_application,
            spend_micros = CASE WHEN spend_micros > 9223372036854775807 - (excluded.spend_micros) THEN 9223372036854775807 ELSE spend_micros + (excluded.spend_micros) END;
END;

CREATE TRIGGER rollup_pair_after_update AFTER UPDATE ON events BEGIN
    UPDATE rollup_pair SET clicks = clicks + NEW.clicks - OLD.clicks, conversion = conversion + NEW.conversion - OLD.conversion, qualified_application = qualified_application + NEW.qualified_application - OLD.qualified_application, disqualified_application = disqualified_application + NEW.disqualified_application - OLD.disqualified_application, spend_micros = CASE WHEN spend_micros > 9223372036854775807 - (NEW.spend_micros - OLD.spend_micros) THEN 9223372036854775807 ELSE spend_micros + (NEW.spend_micros - OLD.spend_micros) END
    WHERE publisher_id = NEW.publisher_id AND campaign_id = NEW.campaign_id;
END;

CREATE TRIGGER rollup_pair_after_delete AFTER DELETE ON events BEGIN
    UPDATE rollup_pair SET grains = grains - 1, clicks = clicks - OLD.clicks, conversion = conversion - OLD.conversion, qualified_application = qualified_application - OLD.qualified_application, disqualified_application = disqualified_application - OLD.disqualified_application, spend_micros = spend_micros - OLD.spend_micros
    WHERE publisher_id = OLD.publisher_id AND campaign_id = OLD.campaign_id;
END;
