"""The SQLite lake: table `tracking` with the growing integer `position` and the typed columns;
`lake_meta` holds the lake's identity, which the warehouse's `etl_state` must match, and its
layout. The driver counts the next batch's events and finds its last position; the executors read
exactly that position range over JDBC, split on `position` into several partitions when the batch
is large. Every executor must see the file at the same path (one machine, or a shared file system).
"""

from pyspark.sql import functions as F

from .jdbc import JdbcConnection
from .lake import TYPED_COLUMNS, BatchPlan, LakeError, layout_problem, partition_count

DRIVER = "org.sqlite.JDBC"
# Every column read as BIGINT (Spark would take SQLite's INTEGER for a 32-bit INT).
READ_SCHEMA = ", ".join(f"{name} BIGINT" for name in ("position",) + TYPED_COLUMNS)


class SQLiteLake:
    kind = "sqlite"

    def __init__(self, spark, path):
        self.spark = spark
        self.url = f"jdbc:sqlite:{path}"
        self.connection = JdbcConnection(spark.sparkContext._gateway, DRIVER, self.url)

    @classmethod
    def open(cls, spark, url):
        lake = cls(spark, url.path)
        try:
            lake.check_layout(url)
        except BaseException:
            lake.close()
            raise
        return lake

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
    def _row_id(token):
        """The position a token names (none yet: 0)."""
        if token is None:
            return 0
        if not token.isdigit():
            raise LakeError(f'position "{token}" was not written by a sqlite lake')
        return int(token)

    def plan(self, token, limit):
        """The next batch after the position `token`: at most `limit` events; None when there are none."""
        after = self._row_id(token)
        count, last = self.connection.query(
            "SELECT count(*), max(position) FROM "
            "(SELECT position FROM tracking WHERE position > ? ORDER BY position LIMIT ?)",
            (after, limit),
        )[0]
        if not count:
            return None
        return BatchPlan(events=int(count), where=f"positions {after + 1}..{last}", ranges=(after, int(last)))

    def count_after(self, token):
        """Events after a position: the lag once a batch is committed."""
        return int(self.connection.query("SELECT count(*) FROM tracking WHERE position > ?",
                                         (self._row_id(token),))[0][0])

    def read(self, plan):
        """The planned events as a DataFrame of `position`, `position_order` and the typed columns,
        read by the executors."""
        after, last = plan.ranges
        columns = ", ".join(("position",) + TYPED_COLUMNS)
        events = (
            self.spark.read.format("jdbc")
            .option("url", self.url)
            .option("driver", DRIVER)
            .option("dbtable", f"(SELECT {columns} FROM tracking WHERE position > {after} AND position <= {last}) AS batch")
            .option("customSchema", READ_SCHEMA)
            .option("partitionColumn", "position")
            .option("lowerBound", str(after + 1))
            .option("upperBound", str(last + 1))
            .option("numPartitions", str(partition_count(plan.events, self.spark.sparkContext.defaultParallelism)))
            .load()
        )
        return events.withColumn("position_order", F.col("position"))
