-- The funnel's sums per hour over every publisher and campaign (MySQL/MariaDB): what the hourly chart
-- reads without a publisher or campaign filter, one row per hour shown however many publishers
-- and campaigns each hour holds. Kept like the other rollups (`add-rollups`): by triggers on
-- `events`, in the transaction of every change to `events`; its first rows come from
-- `rollup_hour`.
--
-- Run once by `migrate` when `rollup_hour_total` is missing, after `add-rollups`. Stop the ETL
-- while it runs (a commit between the copy and the triggers would be missed).

CREATE TABLE rollup_hour_total (
    hour_start DATETIME(3) NOT NULL,
    dates DATE NOT NULL,
    hours INT NOT NULL,
    grains BIGINT NOT NULL DEFAULT 0,
    clicks BIGINT NOT NULL DEFAULT 0,
    conversion BIGINT NOT NULL DEFAULT 0,
    qualified_application BIGINT NOT NULL DEFAULT 0,
    disqualified_application BIGINT NOT NULL DEFAULT 0,
    spend_micros BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (hour_start)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

INSERT INTO rollup_hour_total (hour_start, dates, hours, grains, clicks, conversion, qualified_application, disqualified_application, spend_micros)
SELECT r.hour_start, MIN(r.dates), MIN(r.hours), SUM(r.grains), SUM(r.clicks), SUM(r.conversion), SUM(r.qualified_application),
       SUM(r.disqualified_application), LEAST(SUM(r.spend_micros), 9223372036854775807)
FROM rollup_hour r GROUP BY r.hour_start;

CREATE TRIGGER rollup_hour_total_after_insert AFTER INSERT ON events FOR EACH ROW
INSERT INTO rollup_hour_total (hour_start, dates, hours, grains, clicks, conversion, qualified_application, disqualified_application, spend_micros)
VALUES (NEW.hour_start, NEW.dates, NEW.hours, 1, NEW.clicks, NEW.conversion, NEW.qualified_application, NEW.disqualified_application, NEW.spend_micros)
ON DUPLICATE KEY UPDATE
    grains = grains + 1,
    clicks = clicks + VALUES(clicks),
    conversion = conversion + VALUES(conversion),
    qualified_application = qualified_application + VALUES(qualified_application),
    disqualified_application = disqualified_application + VALUES(disqualified_application),
    spend_micros = CASE WHEN spend_micros > 9223372036854775807 - (VALUES(spend_micros)) THEN 9223372036854775807 ELSE spend_micros + (VALUES(spend_micros)) END;

CREATE TRIGGER rollup_hour_total_after_update AFTER UPDATE ON events FOR EACH ROW
UPDATE rollup_hour_total SET clicks = clicks + NEW.clicks - OLD.clicks, conversion = conversion + NEW.conversion - OLD.conversion, qualified_application = qualified_application + NEW.qualified_application - OLD.qualified_application, disqualified_application = disqualified_application + NEW.disqualified_application - OLD.disqualified_application, spend_micros = CASE WHEN spend_micros > 9223372036854775807 - (NEW.spend_micros - OLD.spend_micros) THEN 9223372036854775807 ELSE spend_micros + (NEW.spend_micros - OLD.spend_micros) END
    WHERE hour_start = NEW.hour_start;

CREATE TRIGGER rollup_hour_total_after_delete AFTER DELETE ON events FOR EACH ROW
UPDATE rollup_hour_total SET grains = grains - 1, clicks = clicks - OLD.clicks, conversion = conversion - OLD.conversion, qualified_application = qualified_application - OLD.qualified_application, disqualified_application = disqualified_application - OLD.disqualified_application, spend_micros = spend_micros - OLD.spend_micros
    WHERE hour_start = OLD.hour_start;
