-- The funnel's sums per hour over every publisher and campaign (SQLite): what the hourly chart
-- reads without a publisher or campaign filter, one row per hour shown however many publishers
-- and campaigns each hour holds. Kept like the other rollups (`add-rollups`): by triggers on
-- `events`, in the transaction of every change to `events`; its first rows come from
-- `rollup_hour`.
--
-- Run once by `migrate` when `rollup_hour_total` is missing, after `add-rollups`. Stop the ETL
-- while it runs (a commit between the copy and the triggers would be missed).

CREATE TABLE rollup_hour_total (
    hour_start TEXT NOT NULL,
    dates TEXT NOT NULL,
    hours INT NOT NULL,
    grains BIGINT NOT NULL DEFAULT 0,
    clicks BIGINT NOT NULL DEFAULT 0,
    conversion BIGINT NOT NULL DEFAULT 0,
    qualified_application BIGINT NOT NULL DEFAULT 0,
    disqualified_application BIGINT NOT NULL DEFAULT 0,
    spend_micros BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (hour_start)
);

INSERT INTO rollup_hour_total (hour_start, dates, hours, grains, clicks, conversion, qualified_application, disqualified_application, spend_micros)
SELECT r.hour_start, MIN(r.dates), MIN(r.hours), SUM(r.grains), SUM(r.clicks), SUM(r.conversion), SUM(r.qualified_application),
       SUM(r.disqualified_application), CAST(MIN(TOTAL(r.spend_micros), 9223372036854775807.0) AS INTEGER)
FROM rollup_hour r GROUP BY r.hour_start;

CREATE TRIGGER rollup_hour_total_after_insert AFTER INSERT ON events BEGIN
    INSERT INTO rollup_hour_total (hour_start, dates, hours, grains, clicks, conversion, qualified_application, disqualified_application, spend_micros)
        VALUES (NEW.hour_start, NEW.dates, NEW.hours, 1, NEW.clicks, NEW.conversion, NEW.qualified_application, NEW.disqualified_application, NEW.spend_micros)
        ON CONFLICT (hour_start) DO UPDATE SET
            grains = grains + 1,
            clicks = clicks + excluded.clicks,
            conversion = conversion + excluded.conversion,
            qualified_application = qualified_application + excluded.qualified_application,
            disqualified_application = disqualified_application + excluded.disqualified_application,
            spend_micros = CASE WHEN spend_micros > 9223372036854775807 - (excluded.spend_micros) THEN 9223372036854775807 ELSE spend_micros + (excluded.spend_micros) END;
END;

CREATE TRIGGER rollup_hour_total_after_update AFTER UPDATE ON events BEGIN
    UPDATE rollup_hour_total SET clicks = clicks + NEW.clicks - OLD.clicks, conversion = conversion + NEW.conversion - OLD.conversion, qualified_application = qualified_application + NEW.qualified_application - OLD.qualified_application, disqualified_application = disqualified_application + NEW.disqualified_application - OLD.disqualified_application, spend_micros = CASE WHEN spend_micros > 9223372036854775807 - (NEW.spend_micros - OLD.spend_micros) THEN 9223372036854775807 ELSE spend_micros + (NEW.spend_micros - OLD.spend_micros) END
    WHERE hour_start = NEW.hour_start;
END;

CREATE TRIGGER rollup_hour_total_after_delete AFTER DELETE ON events BEGIN
    UPDATE rollup_hour_total SET grains = grains - 1, clicks = clicks - OLD.clicks, conversion = conversion - OLD.conversion, qualified_application = qualified_application - OLD.qualified_application, disqualified_application = disqualified_application - OLD.disqualified_application, spend_micros = spend_micros - OLD.spend_micros
    WHERE hour_start = OLD.hour_start;
END;
