"""The Cassandra lake, as the Spark driver sees it: the lake's description in `lake_meta`, batch
plans, and the lag, through the DataStax Python driver. The events themselves are read by the
executors (``cassandra_source``).

A plan follows the position rule of the Swift lake (docs/cassandra.md, "Reading"): from the
committed position, the rest of its bucket, then each following bucket up to the *cutoff* (the
greatest `ingest_id` at `now - safety_lag_seconds`), never a bucket before the position's nor the
whole table. The driver counts each range (`SELECT count(*) … WHERE bucket = ? AND ingest_id > ?
AND ingest_id <= ?`) until it has the batch size; the range where the batch size is reached is
read with a limit, so a batch ends on the same event as the Swift engine's batch of the same size,
and commits the same position.

So that a loop polling an idle lake every second does not count every empty bucket since the last
event on every poll, the lake remembers, per position, how far it has found nothing (as the Swift
lake's ScanMemory does); the memory is the process's own.
"""

import importlib.util
import json
import time
from collections import OrderedDict
from dataclasses import asdict

from .cassandra_connection import CassandraSettings
from .cassandra_positions import BucketLayout, Position, PositionError
from .cassandra_source import NAME, LakeSource
from .config import ConfigurationError
from .lake import BatchPlan, LakeError, layout_problem, partition_count

META_ROW = "lake"
MEMORY_ENTRIES = 16


def now_ms():
    return int(time.time() * 1000)


class CassandraLake:
    kind = "cassandra"

    def __init__(self, spark, settings, cluster, session):
        self.spark = spark
        self.settings = settings
        self.cluster = cluster
        self.session = session
        self.meta = None
        self.layout = None
        self.count_range = None
        self.empty_through = OrderedDict()  # position token -> Position up to which nothing follows it

    @classmethod
    def open(cls, spark, url):
        """Connects, reads `lake_meta` and checks it, and registers the data source; LakeError
        when the lake cannot be read."""
        try:
            settings = CassandraSettings.from_url(url)
        except ConfigurationError as error:
            raise LakeError(str(error)) from None
        if importlib.util.find_spec("cassandra") is None:
            raise LakeError(f"the lake {settings.text} is read with the DataStax Python driver, which is not installed: "
                            "pip install cassandra-driver (on the driver and on every executor)")
        try:
            cluster, session = settings.connect()
        except Exception as error:
            raise LakeError(f"cannot connect to the lake {settings.text}: {error}") from None
        lake = cls(spark, settings, cluster, session)
        try:
            lake._describe()
            spark.dataSource.register(LakeSource)
        except BaseException:
            lake.close()
            raise
        return lake

    def close(self):
        self.cluster.shutdown()

    def _describe(self):
        text, keyspace = self.settings.text, self.settings.keyspace
        migrate = f"run `jobpulse migrate --lake {text}`"
        try:
            row = self._query(f"SELECT identity, bucket_seconds, first_bucket, layout FROM {keyspace}.lake_meta WHERE id = ?",
                              (META_ROW,)).one()
        except LakeError as error:
            message = str(error)
            if "layout" in message and "ndefined" in message:  # lake_meta of layout 1 has no such column
                raise LakeError(layout_problem(None, text)) from None
            raise LakeError(f"no JobPulse lake in keyspace {keyspace} at {text} ({message}); {migrate} to create it") from None
        if row is None:
            raise LakeError(f"no JobPulse lake in keyspace {keyspace} at {text}: lake_meta has no row; {migrate} to create it")
        identity, bucket_seconds, first_bucket, layout = row
        problem = layout_problem(layout, text)
        if problem:
            raise LakeError(problem)
        if not identity or not bucket_seconds or bucket_seconds <= 0 or first_bucket is None or first_bucket % bucket_seconds:
            raise LakeError(f"lake_meta of keyspace {keyspace} at {text} is incomplete: {row}")
        if self.settings.bucket_seconds is not None and self.settings.bucket_seconds != bucket_seconds:
            raise LakeError(f"the lake in keyspace {keyspace} has {bucket_seconds}-second buckets, but the URL says "
                            f"bucket_seconds={self.settings.bucket_seconds}")
        self.meta = {"identity": identity, "bucket_seconds": bucket_seconds, "first_bucket": first_bucket}
        self.layout = BucketLayout(bucket_seconds, self.settings.safety_lag_ms)
        self.count_range = self.session.prepare(
            f"SELECT count(*) FROM {keyspace}.tracking WHERE bucket = ? AND ingest_id > ? AND ingest_id <= ?")

    def _query(self, text, values):
        try:
            return self.session.execute(self.session.prepare(text), values)
        except Exception as error:
            raise LakeError(f"{error}") from None

    def identity(self):
        return self.meta["identity"]

    def _start(self, token):
        """The position a plan or count after `token` starts from (none yet: the lake's start)."""
        if token is None:
            return self.layout.start_of(self.meta["first_bucket"])
        try:
            position = Position.parse(token)
            self.layout.validate(position)
        except PositionError as error:
            raise LakeError(str(error)) from None
        return position

    def _walk(self, token, cutoff):
        start = self._start(token)
        known = self.empty_through.get(token or "")
        return self.layout.walk(known if known is not None and start.precedes(known) else start, cutoff)

    def _remember_empty(self, token, cutoff):
        key = token or ""
        self.empty_through[key] = Position(self.layout.bucket_of(cutoff), cutoff)
        self.empty_through.move_to_end(key)
        while len(self.empty_through) > MEMORY_ENTRIES:
            self.empty_through.popitem(last=False)

    def _count(self, bucket_range):
        row = self.session.execute(self.count_range, (bucket_range.bucket, bucket_range.after.value,
                                                      bucket_range.up_to.value)).one()
        return int(row[0])

    def plan(self, token, limit):
        """The next batch after the position `token`: at most `limit` events, as the ranges to read
        (bucket, after, up to, limit); None when no event lies between the position and the cutoff."""
        cutoff = self.layout.cutoff(now_ms())
        ranges, events = [], 0
        for bucket_range in self._walk(token, cutoff):
            found = self._count(bucket_range)
            if found == 0:
                continue
            take = min(found, limit - events)
            ranges.append((bucket_range.bucket, str(bucket_range.after), str(bucket_range.up_to), take))
            events += take
            if events == limit:
                break
        if events == 0:
            self._remember_empty(token, cutoff)
            return None
        where = f"buckets {ranges[0][0]}..{ranges[-1][0]} after {token or 'the start'}"
        return BatchPlan(events=events, where=where, ranges=ranges)

    def count_after(self, token):
        """Events after a position up to the cutoff, adding up at most `count_limit` of them (whole
        buckets): past that, a lower bound."""
        cutoff = self.layout.cutoff(now_ms())
        total = 0
        for bucket_range in self._walk(token, cutoff):
            total += self._count(bucket_range)
            if total >= self.settings.count_limit:
                return total
        if total == 0:
            self._remember_empty(token, cutoff)
        return total

    def read(self, plan):
        """The planned events as a DataFrame, read by the executors, one partition per group of
        consecutive ranges of about equal events."""
        partitions = _packed(plan.ranges, plan.events, partition_count(plan.events, self.spark.sparkContext.defaultParallelism))
        connection = {name: value for name, value in asdict(self.settings).items() if name not in ("password",)}
        reader = self.spark.read.format(NAME).option("connection", json.dumps(connection)).option("partitions", json.dumps(partitions))
        if self.settings.password is not None:
            reader = reader.option("password", self.settings.password)
        return reader.load()


def _packed(ranges, events, partitions):
    """Consecutive ranges into about `partitions` groups of about equal events; a range is never split."""
    target = -(-events // partitions)
    groups, current, size = [], [], 0
    for entry in ranges:
        if current and size + entry[3] > target:
            groups.append(current)
            current, size = [], 0
        current.append(list(entry))
        size += entry[3]
    groups.append(current)
    return groups
