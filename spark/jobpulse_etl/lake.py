"""The event lake, as the Spark engine reads it: what every lake offers the batch loop, and the
URL that picks one.

A lake stores, for every event, the typed values the normalization rules gave it when it was
admitted (lake layout 2): kind code (0 other, 1 click, 2 conversion, 3 qualified,
4 unqualified), the four ids (0 unattributed), bid in millionths, event time in epoch
milliseconds (NULL when its ts was unreadable). The raw fields are kept elsewhere in the lake and
never read here.

A batch runs in two steps. The driver *plans* it: from the committed position it finds how many
events the batch takes (at most the batch size) and where they lie, asking the lake for counts
only. The executors then *read* exactly that, as a DataFrame of `position` (the lake's position
of the event, as `etl_state` stores it), `position_order` (what orders positions) and
TYPED_COLUMNS. The two lakes:

- ``sqlite_lake``: `sqlite:///path`, over JDBC, one machine or a shared file system;
- ``cassandra_lake``: `cassandra://…`, through the DataStax Python driver and a Spark data source
  (``cassandra_source``); the Spark Cassandra connector is not needed.
"""

import os
from dataclasses import dataclass

# The layout of the lake this engine reads (SQLite: `lake_meta` row `layout`; Cassandra:
# `lake_meta.layout`).
LAYOUT = "2"
TYPED_COLUMNS = ("kind", "job_id", "publisher_id", "campaign_id", "group_id", "bid_micros", "event_time")
# A read partition holds at least this many events; small batches are one partition.
MIN_EVENTS_PER_PARTITION = 50_000


class LakeError(Exception):
    """The lake cannot be read as configured."""


@dataclass(frozen=True)
class BatchPlan:
    """The events of the next batch: how many, where (`where`, for messages), and what the lake's
    reader needs (`ranges`)."""

    events: int
    where: str
    ranges: object


def partition_count(events, parallelism):
    """How many read partitions a batch of `events` gets: one per MIN_EVENTS_PER_PARTITION, at
    most four per core."""
    return min(max(1, -(-events // MIN_EVENTS_PER_PARTITION)), 4 * parallelism)


def layout_problem(layout, lake_url):
    """Why a lake whose `lake_meta` says `layout` (None: it says none) cannot be read here, or None
    when it can."""
    layout = None if layout is None else str(layout)
    if layout == LAYOUT:
        return None
    if layout is None or (layout.isdigit() and int(layout) < int(LAYOUT)):
        return (f"the lake {lake_url} has the layout of an earlier JobPulse; "
                f"run `jobpulse migrate --lake {lake_url}` to upgrade it")
    return (f"the lake {lake_url} has layout {layout}, which this Spark engine cannot read (it reads layout "
            f"{LAYOUT}); run the Spark engine of the JobPulse release that wrote the lake")


def open_lake(spark, url):
    """The lake a URL names, or LakeError saying why it cannot be read."""
    if url.scheme == "sqlite":
        from .sqlite_lake import SQLiteLake

        if not os.path.isfile(url.path):
            raise LakeError(f"no lake at {url}: the file does not exist")
        return SQLiteLake.open(spark, url)
    if url.scheme == "cassandra":
        from .cassandra_lake import CassandraLake

        return CassandraLake.open(spark, url)
    raise LakeError(f"unsupported lake {url} (sqlite:///path or cassandra://user:pass@host:9042/keyspace)")
