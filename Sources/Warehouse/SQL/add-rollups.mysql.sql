-- The rollups the dashboard and Grafana read instead of scanning `events` (MySQL/MariaDB): the
-- funnel's sums per hour, per day, and per job and day, each per publisher and campaign (the
-- filters' columns), with `grains`, the number of `events` rows they hold (0: none left).
--
-- Triggers on `events` keep them in the same transaction as every change to `events`, whichever
-- engine commits (the Swift ETL or the Spark job) and whichever statement writes: a new row adds
-- itself, an update adds its difference, a delete takes itself away. Spend saturates at the
-- largest BIGINT, as in `events` (the first copy too).
--
-- Run once by `migrate` when `rollup_day` is missing: the tables, then their rows from the
-- `events` a warehouse already holds, then the triggers. Stop the ETL while it runs (a commit
-- between the copy and the triggers would be missed).

CREATE TABLE rollup_hour (
    hour_start DATETIME(3) NOT NULL,
    dates DATE NOT NULL,
    hours INT NOT NULL,
    publisher_id INT NOT NULL,
    campaign_id INT NOT NULL,
    grains BIGINT NOT NULL DEFAULT 0,
    clicks BIGINT NOT NULL DEFAULT 0,
    conversion BIGINT NOT NULL DEFAULT 0,
    qualified_application BIGINT NOT NULL DEFAULT 0,
    disqualified_application BIGINT NOT NULL DEFAULT 0,
    spend_micros BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (hour_start, publisher_id, campaign_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE rollup_day (
    dates DATE NOT NULL,
    publisher_id INT NOT NULL,
    campaign_id INT NOT NULL,
    grains BIGINT NOT NULL DEFAULT 0,
    clicks BIGINT NOT NULL DEFAULT 0,
    conversion BIGINT NOT NULL DEFAULT 0,
    qualified_application BIGINT NOT NULL DEFAULT 0,
    disqualified_application BIGINT NOT NULL DEFAULT 0,
    spend_micros BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (dates, publisher_id, campaign_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE rollup_job_day (
    dates DATE NOT NULL,
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
    PRIMARY KEY (dates, job_id, publisher_id, campaign_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

INSERT INTO rollup_hour (hour_start, dates, hours, publisher_id, campaign_id, grains, clicks, conversion, qualified_application, disqualified_application, spend_micros)
SELECT e.hour_start, e.dates, e.hours, e.publisher_id, e.campaign_id, COUNT(*), SUM(e.clicks), SUM(e.conversion), SUM(e.qualified_application), SUM(e.disqualified_application), LEAST(SUM(e.spend_micros), 9223372036854775807)
FROM events e GROUP BY e.hour_start, e.dates, e.hours, e.publisher_id, e.campaign_id;

INSERT INTO rollup_day (dates, publisher_id, campaign_id, grains, clicks, conversion, qualified_application, disqualified_application, spend_micros)
SELECT e.dates, e.publisher_id, e.campaign_id, COUNT(*), SUM(e.clicks), SUM(e.conversion), SUM(e.qualified_application), SUM(e.disqualified_application), LEAST(SUM(e.spend_micros), 9223372036854775807)
FROM events e GROUP BY e.dates, e.publisher_id, e.campaign_id;

INSERT INTO rollup_job_day (dates, job_id, publisher_id, campaign_id, company_id, grains, clicks, conversion, qualified_application, disqualified_application, spend_micros)
SELECT e.dates, e.job_id, e.publisher_id, e.campaign_id, MAX(e.company_id), COUNT(*), SUM(e.clicks), SUM(e.conversion), SUM(e.qualified_application), SUM(e.disqualified_application), LEAST(SUM(e.spend_micros), 9223372036854775807)
FROM events e GROUP BY e.dates, e.job_id, e.publisher_id, e.campaign_id;

-- MySQL runs several triggers of one kind in the order they were created; each is one statement.
CREATE TRIGGER rollup_hour_after_insert AFTER INSERT ON events FOR EACH ROW
INSERT INTO rollup_hour (hour_start, dates, hours, publisher_id, campaign_id, grains, clicks, conversion, qualified_application, disqualified_application, spend_micros)
VALUES (NEW.hour_start, NEW.dates, NEW.hours, NEW.publisher_id, NEW.campaign_id, 1, NEW.clicks, NEW.conversion, NEW.qualified_application, NEW.disqualified_application, NEW.spend_micros)
ON DUPLICATE KEY UPDATE
    grains = grains + 1,
    clicks = clicks + VALUES(clicks),
    conversion = conversion + VALUES(conversion),
    qualified_application = qualified_application + VALUES(qualified_application),
    disqualified_application = disqualified_application + VALUES(disqualified_application),
    spend_micros = CASE WHEN spend_micros > 9223372036854775807 - (VALUES(spend_micros)) THEN 9223372036854775807 ELSE spend_micros + (VALUES(spend_micros)) END;

CREATE TRIGGER rollup_day_after_insert AFTER INSERT ON events FOR EACH ROW
INSERT INTO rollup_day (dates, publisher_id, campaign_id, grains, clicks, conversion, qualified_application, disqualified_application, spend_micros)
VALUES (NEW.dates, NEW.publisher_id, NEW.campaign_id, 1, NEW.clicks, NEW.conversion, NEW.qualified_application, NEW.disqualified_application, NEW.spend_micros)
ON DUPLICATE KEY UPDATE
    grains = grains + 1,
    clicks = clicks + VALUES(clicks),
    conversion = conversion + VALUES(conversion),
    qualified_application = qualified_application + VALUES(qualified_application),
    disqualified_application = disqualified_application + VALUES(disqualified_application),
    spend_micros = CASE WHEN spend_micros > 9223372036854775807 - (VALUES(spend_micros)) THEN 9223372036854775807 ELSE spend_micros + (VALUES(spend_micros)) END;

CREATE TRIGGER rollup_job_day_after_insert AFTER INSERT ON events FOR EACH ROW
INSERT INTO rollup_job_day (dates, job_id, publisher_id, campaign_id, company_id, grains, clicks, conversion, qualified_application, disqualified_application, spend_micros)
VALUES (NEW.dates, NEW.job_id, NEW.publisher_id, NEW.campaign_id, NEW.company_id, 1, NEW.clicks, NEW.conversion, NEW.qualified_application, NEW.disqualified_application, NEW.spend_micros)
ON DUPLICATE KEY UPDATE
    grains = grains + 1,
    clicks = clicks + VALUES(clicks),
    conversion = conversion + VALUES(conversion),
    qualified_application = qualified_application + VALUES(qualified_application),
    disqualified_application = disqualified_application + VALUES(disqualified_application),
    spend_micros = CASE WHEN spend_micros > 9223372036854775807 - (VALUES(spend_micros)) THEN 9223372036854775807 ELSE spend_micros + (VALUES(spend_micros)) END,
    company_id = COALESCE(VALUES(company_id), company_id);

CREATE TRIGGER rollup_hour_after_update AFTER UPDATE ON events FOR EACH ROW
UPDATE rollup_hour SET clicks = clicks + NEW.clicks - OLD.clicks, conversion = conversion + NEW.conversion - OLD.conversion, qualified_application = qualified_application + NEW.qualified_application - OLD.qualified_application, disqualified_application = disqualified_application + NEW.disqualified_application - OLD.disqualified_application, spend_micros = CASE WHEN spend_micros > 9223372036854775807 - (NEW.spend_micros - OLD.spend_micros) THEN 9223372036854775807 ELSE spend_micros + (NEW.spend_micros - OLD.spend_micros) END
    WHERE hour_start = NEW.hour_start AND publisher_id = NEW.publisher_id AND campaign_id = NEW.campaign_id;

CREATE TRIGGER rollup_day_after_update AFTER UPDATE ON events FOR EACH ROW
UPDATE rollup_day SET clicks = clicks + NEW.clicks - OLD.clicks, conversion = conversion + NEW.conversion - OLD.conversion, qualified_application = qualified_application + NEW.qualified_application - OLD.qualified_application, disqualified_application = disqualified_application + NEW.disqualified_application - OLD.disqualified_application, spend_micros = CASE WHEN spend_micros > 9223372036854775807 - (NEW.spend_micros - OLD.spend_micros) THEN 9223372036854775807 ELSE spend_micros + (NEW.spend_micros - OLD.spend_micros) END
    WHERE dates = NEW.dates AND publisher_id = NEW.publisher_id AND campaign_id = NEW.campaign_id;

CREATE TRIGGER rollup_job_day_after_update AFTER UPDATE ON events FOR EACH ROW
UPDATE rollup_job_day SET clicks = clicks + NEW.clicks - OLD.clicks, conversion = conversion + NEW.conversion - OLD.conversion, qualified_application = qualified_application + NEW.qualified_application - OLD.qualified_application, disqualified_application = disqualified_application + NEW.disqualified_application - OLD.disqualified_application, spend_micros = CASE WHEN spend_micros > 9223372036854775807 - (NEW.spend_micros - OLD.spend_micros) THEN 9223372036854775807 ELSE spend_micros + (NEW.spend_micros - OLD.spend_micros) END, company_id = NEW.company_id
    WHERE dates = NEW.dates AND job_id = NEW.job_id AND publisher_id = NEW.publisher_id AND campaign_id = NEW.campaign_id;

CREATE TRIGGER rollup_hour_after_delete AFTER DELETE ON events FOR EACH ROW
UPDATE rollup_hour SET grains = grains - 1, clicks = clicks - OLD.clicks, conversion = conversion - OLD.conversion, qualified_application = qualified_application - OLD.qualified_application, disqualified_application = disqualified_application - OLD.disqualified_application, spend_micros = spend_micros - OLD.spend_micros
    WHERE hour_start = OLD.hour_start AND publisher_id = OLD.publisher_id AND campaign_id = OLD.campaign_id;

CREATE TRIGGER rollup_day_after_delete AFTER DELETE ON events FOR EACH ROW
UPDATE rollup_day SET grains = grains - 1, clicks = clicks - OLD.clicks, conversion = conversion - OLD.conversion, qualified_application = qualified_application - OLD.qualified_application, disqualified_application = disqualified_application - OLD.disqualified_application, spend_micros = spend_micros - OLD.spend_micros
    WHERE dates = OLD.dates AND publisher_id = OLD.publisher_id AND campaign_id = OLD.campaign_id;

CREATE TRIGGER rollup_job_day_after_delete AFTER DELETE ON events FOR EACH ROW
UPDATE rollup_job_day SET grains = grains - 1, clicks = clicks - OLD.clicks, conversion = conversion - OLD.conversion, qualified_application = qualified_application - OLD.qualified_application, disqualified_application = disqualified_application - OLD.disqualified_application, spend_micros = spend_micros - OLD.spend_micros
    WHERE dates = OLD.dates AND job_id = OLD.job_id AND publisher_id = OLD.publisher_id AND campaign_id = OLD.campaign_id;
