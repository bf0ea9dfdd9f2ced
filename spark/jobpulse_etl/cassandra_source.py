"""The Cassandra lake as a Spark data source (Spark 4's Python data source API): the executors read
the ranges of `tracking` a batch plan names, with the DataStax driver, selecting only the position
and the typed columns.

Each input partition is a list of bucket ranges (`bucket = ? AND ingest_id > ? AND ingest_id <= ?`),
whole buckets or what is left of one, at most a few tens of thousands of events; a bucket is never
split, so the bucket size bounds a task's work. The last range of a batch may carry a limit: the
batch then ends at that range's `limit`-th event, exactly where the Swift engine's read of the same
size ends. Rows come back in Cassandra's order within each range; nothing downstream depends on the
order across ranges, since every position carries its sort key (`position_order`).

The driver connection of each Python worker is kept for the worker's life (Spark reuses workers),
so a task costs its queries, not a new connection.
"""

import atexit
import json
import threading
import uuid

from pyspark.sql.datasource import DataSource, DataSourceReader, InputPartition

from .cassandra_connection import CassandraSettings
from .cassandra_positions import position_order

NAME = "jobpulse_cassandra_lake"
TYPED_COLUMNS = ("n_kind", "n_job_id", "n_publisher_id", "n_campaign_id", "n_group_id", "n_bid_micros", "n_event_time")
# What a batch reads, named as the aggregation names it (lake.TYPED_COLUMNS).
SCHEMA = ("position STRING, position_order STRING, kind BIGINT, job_id BIGINT, publisher_id BIGINT, "
          "campaign_id BIGINT, group_id BIGINT, bid_micros BIGINT, event_time BIGINT")
KIND_CODES = range(0, 5)


def select_typed(keyspace):
    """The ETL's read of one range, as the Swift lake's `selectTypedEvents`."""
    return (f"SELECT ingest_id, {', '.join(TYPED_COLUMNS)} FROM {keyspace}.tracking "
            "WHERE bucket = ? AND ingest_id > ? AND ingest_id <= ? LIMIT ?")


def typed_row(bucket, ingest_id, values):
    """A row of the select as the aggregation's row. An event with an empty typed cell, or a kind
    code no release writes, reaches the aggregation without event time: unusable, as
    Sources/Lake/Cassandra/TypedColumns.swift reads it."""
    kind, job, publisher, campaign, group, bid, event_time = values
    if any(value is None for value in values) or kind not in KIND_CODES:
        kind, job, publisher, campaign, group, bid, event_time = 0, 0, 0, 0, 0, 0, None
    return (f"{bucket}:{ingest_id}", position_order(bucket, ingest_id), kind, job, publisher, campaign, group, bid,
            event_time)


class RangesPartition(InputPartition):
    """Ranges (bucket, after uuid, up-to uuid, limit) one task reads."""

    def __init__(self, ranges):
        super().__init__(ranges)
        self.ranges = ranges


class LakeSource(DataSource):
    """`spark.read.format("jobpulse_cassandra_lake")` with the options `connection` (the
    connection settings but the password, as JSON), `password`, and `partitions` (JSON: a list of
    partitions, each a list of [bucket, after, up_to, limit])."""

    @classmethod
    def name(cls):
        return NAME

    def schema(self):
        return SCHEMA

    def reader(self, schema):
        return LakeReader(self.options)


class LakeReader(DataSourceReader):
    def __init__(self, options):
        fields = json.loads(options["connection"])
        fields["hosts"] = tuple(tuple(host) for host in fields["hosts"])
        self.settings = CassandraSettings(password=options.get("password"), **fields)
        self.planned = [RangesPartition([tuple(entry) for entry in ranges]) for ranges in json.loads(options["partitions"])]

    def partitions(self):
        return self.planned

    def read(self, partition):
        session, statement = _worker_session(self.settings)
        for bucket, after, up_to, limit in partition.ranges:
            rows = session.execute(statement, (bucket, uuid.UUID(after), uuid.UUID(up_to), limit))
            for ingest_id, *values in rows:
                yield typed_row(bucket, ingest_id, values)


_sessions = {}
_sessions_lock = threading.Lock()


def _worker_session(settings):
    """This worker's session and prepared select for `settings`, made on first use."""
    with _sessions_lock:
        entry = _sessions.get(settings)
        if entry is None:
            cluster, session = settings.connect()
            session.default_fetch_size = settings.page_size
            entry = (cluster, session, session.prepare(select_typed(settings.keyspace)))
            _sessions[settings] = entry
        return entry[1], entry[2]


@atexit.register
def _close_sessions():
    with _sessions_lock:
        for cluster, _, _ in _sessions.values():
            cluster.shutdown()
        _sessions.clear()
