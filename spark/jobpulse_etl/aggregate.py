"""One batch of lake events into per-grain deltas, collected to the driver.

The lake stores each event's typed values, computed by the normalization rules when it was
admitted (Sources/Core); this module only aggregates them, as Sources/ETL/ETLPipeline.swift does.
An event is unusable when its event time is NULL (its ts was unreadable) or it holds values no
release writes (a kind code other than 0 to 4, an id outside 32 bits): it counts as *other* and
as unusable, and its event time is not the newest. A usable event adds to the funnel when its kind
code is 1 to 4 (click, conversion, qualified, unqualified), and is *other* when it is 0.

A grain is (job_id, UTC hour, publisher_id, campaign_id, group_id). One Spark aggregation gives
the funnel counts and the spend of every grain, and, in one extra group whose grain is all NULL,
the other events: so `events = funnel + other` comes from the same pass, as do the newest event
time, the batch's last position and the last unusable position. Positions are compared by their
`position_order` (the SQLite lake's position itself; for Cassandra, a text that sorts as Cassandra
orders its buckets and `timeuuid`s), never by their text.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from pyspark.sql import functions as F

MS_PER_HOUR = 3_600_000
MICROS_PER_UNIT = 1_000_000
EPOCH = date(1970, 1, 1)
GRAIN_COLUMNS = ("job_id", "hour_index", "publisher_id", "campaign_id", "group_id")
ID_COLUMNS = ("job_id", "publisher_id", "campaign_id", "group_id")
# The lake's kind codes (EventKind.code in Sources/Core/EventKind.swift); 0 is any other kind.
OTHER, CLICK, CONVERSION, QUALIFIED, UNQUALIFIED = 0, 1, 2, 3, 4
INT32_MIN, INT32_MAX = -2_147_483_648, 2_147_483_647


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
    # Events of `other` that are unusable (see above), and the last one's position.
    unusable: int = 0
    last_unusable_position: str | None = None
    # The position of the batch's last event, as the lake writes it.
    last_position: str | None = None
    newest_event_ms: int | None = None

    @property
    def events(self):
        return self.funnel + self.other


def _count_of(kind):
    return F.count_if(F.col("kind") == kind)


def _position():
    """A position with what orders it, as a struct whose maximum is the last position."""
    return F.struct(F.col("position_order").alias("order"), F.col("position").cast("string").alias("token"))


def aggregate(events):
    """Aggregates a DataFrame of lake events (`position`, `position_order` and lake.TYPED_COLUMNS)
    on the cluster and returns the result on the driver."""
    kind, event_time = F.col("kind"), F.col("event_time")
    usable = event_time.isNotNull() & kind.between(OTHER, UNQUALIFIED)
    for name in ID_COLUMNS:
        usable = usable & F.col(name).between(INT32_MIN, INT32_MAX)
    funnel = usable & kind.between(CLICK, UNQUALIFIED)
    grains = events.select(
        *(F.when(funnel, F.col(name)).alias(name) for name in ID_COLUMNS),
        F.when(funnel, F.floor(event_time / MS_PER_HOUR)).alias("hour_index"),
        F.when(funnel, kind).alias("kind"),
        F.when(funnel & (kind == CLICK), F.col("bid_micros")).alias("spend_micros"),
        F.when(usable, event_time).alias("event_time"),
        F.when(~usable, _position()).alias("unusable_position"),
        _position().alias("position"),
    )
    rows = grains.groupBy(*GRAIN_COLUMNS).agg(
        F.count(F.lit(1)).alias("events"),
        _count_of(CLICK).alias("clicks"),
        _count_of(CONVERSION).alias("conversions"),
        _count_of(QUALIFIED).alias("qualified"),
        _count_of(UNQUALIFIED).alias("unqualified"),
        F.coalesce(F.sum("spend_micros"), F.lit(0)).alias("spend_micros"),
        F.max("event_time").alias("newest_event_ms"),
        F.count("unusable_position").alias("unusable"),
        F.max("unusable_position").alias("last_unusable_position"),
        F.max("position").alias("last_position"),
    ).collect()
    return _batch_aggregate(rows)


def _batch_aggregate(rows):
    result = BatchAggregate()
    last = None
    for row in rows:
        if row["newest_event_ms"] is not None:
            result.newest_event_ms = max(result.newest_event_ms or 0, row["newest_event_ms"])
        if last is None or row["last_position"]["order"] > last["order"]:
            last = row["last_position"]
        if row["hour_index"] is None:
            result.other += row["events"]
            result.unusable += row["unusable"]
            if row["last_unusable_position"] is not None:
                result.last_unusable_position = row["last_unusable_position"]["token"]
            continue
        result.funnel += row["events"]
        grain = Grain(**{name: row[name] for name in GRAIN_COLUMNS})
        result.deltas[grain] = Metrics(
            clicks=row["clicks"], conversions=row["conversions"], qualified=row["qualified"],
            unqualified=row["unqualified"], spend_micros=row["spend_micros"],
        )
    result.last_position = None if last is None else last["token"]
    return result
