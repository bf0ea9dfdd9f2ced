"""One batch of normalized events into per-grain deltas, collected to the driver.

A grain is (job_id, UTC hour, publisher_id, campaign_id, group_id). One Spark aggregation gives
the funnel counts and the spend of every grain, and, in one extra group whose grain is all NULL,
the events of any other kind (or with an unreadable ts): so `events = funnel + other` comes from
the same pass, as does the newest event time.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from pyspark.sql import functions as F

MS_PER_HOUR = 3_600_000
MICROS_PER_UNIT = 1_000_000
EPOCH = date(1970, 1, 1)
GRAIN_COLUMNS = ("job_id", "hour_index", "publisher_id", "campaign_id", "group_id")


@dataclass(frozen=True)
class Grain:
    """A warehouse `events` row's key; ``hour_index`` counts whole hours since 1970-01-01T00Z."""

    job_id: int
    hour_index: int
    publisher_id: int
    campaign_id: int
    group_id: int

    @property
    def date(self):
        """`YYYY-MM-DD`, the warehouse's `dates`."""
        return (EPOCH + timedelta(days=self.hour_index // 24)).isoformat()

    @property
    def hour(self):
        """0 to 23, the warehouse's `hours`."""
        return self.hour_index % 24

    @property
    def hour_start(self):
        """`YYYY-MM-DD HH:00:00`, the start of the hour as an SQL date-time."""
        return f"{self.date} {self.hour:02d}:00:00"

    def sort_key(self):
        return (self.hour_index, self.job_id, self.publisher_id, self.campaign_id, self.group_id)


@dataclass(frozen=True)
class Metrics:
    """What a batch adds to one grain."""

    clicks: int = 0
    conversions: int = 0
    qualified: int = 0
    unqualified: int = 0
    spend_micros: int = 0

    @property
    def spend(self):
        """The warehouse's `spend_hour`."""
        return float(self.spend_micros) / MICROS_PER_UNIT

    @property
    def average_bid(self):
        """The warehouse's `bid_set`: the average bid of the clicks, 0 without clicks."""
        return 0.0 if self.clicks == 0 else float(self.spend_micros) / MICROS_PER_UNIT / float(self.clicks)


@dataclass
class BatchAggregate:
    """The per-grain deltas of a batch, with the counts that account for every event."""

    deltas: dict = field(default_factory=dict)
    funnel: int = 0
    other: int = 0
    # Events of `other` whose ts the rules cannot read (a lake written by other means).
    unusable: int = 0
    newest_event_ms: int | None = None

    @property
    def events(self):
        return self.funnel + self.other


def _count_of(kind):
    return F.count_if(F.col("kind") == kind)


def aggregate(normalized_events):
    """Aggregates a DataFrame of normalized events (see normalize.normalized) on the cluster and
    returns the result on the driver."""
    funnel = F.col("funnel")
    grains = normalized_events.select(
        *(F.when(funnel, F.col(name)).alias(name) for name in ("job_id", "publisher_id", "campaign_id", "group_id")),
        F.when(funnel, F.floor(F.col("event_ms") / MS_PER_HOUR)).alias("hour_index"),
        F.when(funnel, F.col("kind")).alias("kind"),
        F.when(funnel & (F.col("kind") == "click"), F.col("bid_micros")).alias("spend_micros"),
        F.col("event_ms"),
    )
    rows = grains.groupBy(*GRAIN_COLUMNS).agg(
        F.count(F.lit(1)).alias("events"),
        _count_of("click").alias("clicks"),
        _count_of("conversion").alias("conversions"),
        _count_of("qualified").alias("qualified"),
        _count_of("unqualified").alias("unqualified"),
        F.coalesce(F.sum("spend_micros"), F.lit(0)).alias("spend_micros"),
        F.max("event_ms").alias("newest_event_ms"),
        F.count_if(F.col("event_ms").isNull()).alias("unusable"),
    ).collect()
    return _batch_aggregate(rows)


def _batch_aggregate(rows):
    result = BatchAggregate()
    for row in rows:
        if row["newest_event_ms"] is not None:
            result.newest_event_ms = max(result.newest_event_ms or 0, row["newest_event_ms"])
        if row["hour_index"] is None:
            result.other += row["events"]
            result.unusable += row["unusable"]
            continue
        result.funnel += row["events"]
        grain = Grain(**{name: row[name] for name in GRAIN_COLUMNS})
        result.deltas[grain] = Metrics(
            clicks=row["clicks"], conversions=row["conversions"], qualified=row["qualified"],
            unqualified=row["unqualified"], spend_micros=row["spend_micros"],
        )
    return result
