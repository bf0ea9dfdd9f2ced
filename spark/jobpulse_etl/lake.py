"""The event lake, as the Spark engine reads it.

SQLite: table `tracking` with the growing `position` and, for every event, the typed values the
normalization rules gave it when the lake admitted it (lake layout 2): kind code, the four ids,
bid in millionths, event time in epoch milliseconds (NULL when its ts was unreadable). The raw
fields are kept elsewhere in the lake and never read here. The driver asks for the bounds of the
next batch (the events after the committed position, up to the batch size); the executors then
read exactly that position range, split into several JDBC partitions when the batch is large.
`lake_meta` holds the lake's identity, which the warehouse's `etl_state` must match, and its
layout, which must be 2.

Cassandra: needs the Spark Cassandra connector, which is supplied with the job, not bundled.
"""

import math
import os

from .jdbc import JdbcConnection

SQLITE_DRIVER = "org.sqlite.JDBC"
# The layout of the lake this engine reads: `lake_meta` row `layout`.
LAYOUT = "2"
# The typed columns of `tracking` a batch reads, all read as BIGINT (Spark would take SQLite's
# INTEGER for a 32-bit INT): the kind code (0 other, 1 click, 2 conversion, 3 qualified,
# 4 unqualified), the ids (0 unattributed), the bid in millionths, the event time in epoch
# milliseconds UTC (NULL when the ts was unreadable).
TYPED_COLUMNS = ("kind", "job_id", "publisher_id", "campaign_id", "group_id", "bid_micros", "event_time")
READ_SCHEMA = ", ".join(f"{name} BIGINT" for name in ("position",) + TYPED_COLUMNS)
# A JDBC partition reads at least this many events; small batches are one partition.
MIN_EVENTS_PER_PARTITION = 50_000
CASSANDRA_SOURCE_CLASS = "org.apache.spark.sql.cassandra.DefaultSource"


class LakeError(Exception):
    """The lake cannot be read as configured."""


def layout_problem(layout, lake_url):
    """Why a lake whose `lake_meta` layout row holds `layout` (None: no such row) cannot be
    read here, or None when it can."""
    if layout == LAYOUT:
        return None
    if layout is None or (layout.isdigit() and int(layout) < int(LAYOUT)):
        return (f"the lake {lake_url} has the layout of an earlier JobPulse; "
                f"run `jobpulse migrate --lake {lake_url}` to upgrade it")
    return (f"the lake {lake_url} has layout {layout}, which this Spark engine cannot read (it reads layout "
            f"{LAYOUT}); run the Spark engine of the JobPulse release that wrote the lake")


class SQLiteLake:
    kind = "sqlite"

    def __init__(self, spark, path):
        self.spark = spark
        self.url = f"jdbc:sqlite:{path}"
        self.connection = JdbcConnection(spark.sparkContext._gateway, SQLITE_DRIVER, self.url)

    def close(self):
        self.connection.close()

    def check_layout(self, lake_url):
        """Raises LakeError unless this is a lake of the layout this engine reads."""
        tables = {row[0] for row in self.connection.query("SELECT name FROM sqlite_master WHERE type = 'table'")}
        missing = [name for name in ("tracking", "lake_meta") if name not in tables]
        if missing:
            raise LakeError(f"{lake_url} is not a JobPulse lake: it has no table {' and no table '.join(missing)}")
        rows = self.connection.query("SELECT value FROM lake_meta WHERE name = 'layout'")
        problem = layout_problem(rows[0][0] if rows else None, lake_url)
        if problem:
            raise LakeError(problem)

    def identity(self):
        """The identity written when the lake was created (`sqlite` for a lake without one)."""
        rows = self.connection.query("SELECT value FROM lake_meta WHERE name = 'identity'")
        return rows[0][0] if rows else "sqlite"

    @staticmethod
    def row_id(token):
        """The position a token names (none yet: 0)."""
        if token is None:
            return 0
        if not token.isdigit():
            raise LakeError(f'position "{token}" was not written by a sqlite lake')
        return int(token)

    def batch_bounds(self, after, limit):
        """(number of events, last position) of the next batch after `after`; (0, None) when none."""
        count, last = self.connection.query(
            "SELECT count(*), max(position) FROM "
            "(SELECT position FROM tracking WHERE position > ? ORDER BY position LIMIT ?)",
            (after, limit),
        )[0]
        return int(count), (None if last is None else int(last))

    def count_after(self, position):
        """Events after a position: the lag once a batch is committed."""
        return int(self.connection.query("SELECT count(*) FROM tracking WHERE position > ?", (position,))[0][0])

    def read(self, after, last, count):
        """The events in (after, last] as a DataFrame of `position` and the typed columns, read by
        the executors."""
        columns = ", ".join(("position",) + TYPED_COLUMNS)
        partitions = min(max(1, math.ceil(count / MIN_EVENTS_PER_PARTITION)), 4 * self.spark.sparkContext.defaultParallelism)
        return (
            self.spark.read.format("jdbc")
            .option("url", self.url)
            .option("driver", SQLITE_DRIVER)
            .option("dbtable", f"(SELECT {columns} FROM tracking WHERE position > {after} AND position <= {last}) AS batch")
            .option("customSchema", READ_SCHEMA)
            .option("partitionColumn", "position")
            .option("lowerBound", str(after + 1))
            .option("upperBound", str(last + 1))
            .option("numPartitions", str(partitions))
            .load()
        )


def cassandra_options(url):
    """The Spark Cassandra connector settings for a cassandra:// lake URL (password included)."""
    options = {
        "spark.cassandra.connection.host": ",".join(name for name, _ in url.hosts) or "localhost",
        "spark.cassandra.connection.port": str(url.port or 9042),
        "spark.cassandra.input.consistency.level": url.query.get("consistency", "LOCAL_QUORUM"),
    }
    if url.query.get("ssl") == "required":
        options["spark.cassandra.connection.ssl.enabled"] = "true"
    if url.user is not None:
        options["spark.cassandra.auth.username"] = url.user
    if url.password is not None:
        options["spark.cassandra.auth.password"] = url.password
    return options


def open_lake(spark, url):
    """The lake a URL names, or LakeError saying why it cannot be read."""
    if url.scheme == "sqlite":
        if not os.path.isfile(url.path):
            raise LakeError(f"no lake at {url}: the file does not exist")
        lake = SQLiteLake(spark, url.path)
        try:
            lake.check_layout(url)
        except BaseException:
            lake.close()
            raise
        return lake
    if url.scheme == "cassandra":
        raise LakeError(_cassandra_message(spark, url))
    raise LakeError(f"unsupported lake {url} (sqlite:///path or cassandra://user:pass@host:9042/keyspace)")


def _cassandra_message(spark, url):
    settings = ", ".join(f"{name}={value}" for name, value in cassandra_options(url).items()
                         if not name.endswith("password"))
    if not _class_available(spark, CASSANDRA_SOURCE_CLASS):
        return (f"the lake {url} needs the Spark Cassandra connector, which is not on the class path: supply it "
                f"with --packages com.datastax.spark:spark-cassandra-connector_2.13:<version> or --jars "
                f"(it cannot be downloaded here). Connection settings it would use: {settings}, keyspace={url.path}")
    return (f"the Spark Cassandra connector is present, but this engine reads only sqlite lakes so far; "
            f"the settings for {url} would be {settings}, keyspace={url.path}")


def _class_available(spark, name):
    loader = spark._jvm.java.lang.Thread.currentThread().getContextClassLoader()
    try:
        loader.loadClass(name)
        return True
    except Exception:  # py4j raises Py4JJavaError wrapping ClassNotFoundException
        return False
