"""What the tests read back from a warehouse database: `events` by grain, `etl_state`, and the
job dimension's companies (through the private server's root account)."""

GRAIN = ("job_id", "dates", "hours", "publisher_id", "campaign_id", "group_id")
# Every column of `events` but the surrogate id and updated_at, grain first.
EVENT_COLUMNS = GRAIN + (
    "hour_start", "clicks", "conversion", "qualified_application", "disqualified_application", "spend_micros",
    "company_id", "spend_hour", "bid_set", "sources",
)
INTEGER_COLUMNS = {"job_id", "hours", "publisher_id", "campaign_id", "group_id", "clicks", "conversion",
                   "qualified_application", "disqualified_application", "spend_micros", "company_id"}
STATE_COLUMNS = ("position", "lake_identity", "lease_owner", "batches", "events_total", "funnel_total", "other_total",
                 "unusable_total", "last_unusable_position", "last_batch_events", "last_batch_grains", "newest_event_ms")


def _value(column, text):
    if text == "NULL":
        return None
    if column in INTEGER_COLUMNS:
        return int(text)
    if column in ("spend_hour", "bid_set"):
        return float(text)
    return text


class WarehouseView:
    def __init__(self, server, database, url):
        self.server = server
        self.database = database
        self.url = url

    def events_text(self):
        """`events` as the server prints it (every column but id and updated_at), by grain."""
        return {tuple(row[:len(GRAIN)]): tuple(row) for row in self.server.sql(
            f"SELECT {', '.join(EVENT_COLUMNS)} FROM events", self.database)}

    def events(self):
        """`events` rows as dicts of typed values, by grain (job_id, dates, hours, publisher, campaign, group)."""
        rows = {}
        for row in self.server.sql(f"SELECT {', '.join(EVENT_COLUMNS)} FROM events", self.database):
            values = {column: _value(column, text) for column, text in zip(EVENT_COLUMNS, row)}
            rows[tuple(values[column] for column in GRAIN)] = values
        return rows

    def state(self, source="sqlite"):
        """etl_state's row for the lake of kind `source`, as text by column (None before the first run)."""
        if source not in ("sqlite", "cassandra"):
            raise ValueError(f"no lake of kind {source}")
        rows = self.server.sql(f"SELECT {', '.join(STATE_COLUMNS)} FROM etl_state WHERE source = '{source}'", self.database)
        if not rows:
            return None
        return {column: (None if text == "NULL" else text) for column, text in zip(STATE_COLUMNS, rows[0])}

    def companies(self):
        return {int(job): int(company) for job, company in self.server.sql(
            "SELECT job_id, company_id FROM job WHERE company_id IS NOT NULL", self.database)}
