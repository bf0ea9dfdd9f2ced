"""A Cassandra lake for the tests, on a stand-in node: created by `jobpulse migrate --lake
cassandra://…`, written by `jobpulse import` as any lake is, and read back (and written behind the
binary's back) with the DataStax Python driver. Its positions are `<bucket>:<timeuuid>` tokens,
ordered as Cassandra orders them (the engine's own cassandra_positions, whose arithmetic the
Swift engine's positions check in the equivalence test)."""

import random
import time
from urllib.parse import quote

from cassandra.auth import PlainTextAuthProvider
from cassandra.util import uuid_from_time

import reference
from jobpulse_cli import jobpulse
from jobpulse_etl.cassandra_positions import Position, TimeUUID
from lakes import TestLake
from stand_in import connect

N_COLUMNS = ("n_kind", "n_job_id", "n_publisher_id", "n_campaign_id", "n_group_id", "n_bid_micros", "n_event_time")
KEYSPACE = "jp"


class CassandraTestLake(TestLake):
    """Keyspace `jp` on `node`, with buckets of `bucket_seconds` and a reader's safety lag."""

    kind = "cassandra"

    def __init__(self, node, data_dir, bucket_seconds=1, safety_lag_seconds=0, auth=None):
        """`auth`: (user, password) when the node wants them."""
        super().__init__(data_dir)
        credentials = f"{quote(auth[0], safe='')}:{quote(auth[1], safe='')}@" if auth else ""
        self.url = (f"cassandra://{credentials}127.0.0.1:{node.port}/{KEYSPACE}?bucket_seconds={bucket_seconds}"
                    f"&safety_lag_seconds={safety_lag_seconds}")
        self.bucket_seconds = bucket_seconds
        self.storage = ("--lake", self.url)
        jobpulse("migrate", *self.storage)
        self.cluster, self.session = connect(node.port, PlainTextAuthProvider(*auth) if auth else None)
        columns = ("bucket", "ingest_id", "received_at") + N_COLUMNS
        self.insert_statement = self.session.prepare(
            f"INSERT INTO {KEYSPACE}.tracking ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})")
        self.node = random.getrandbits(48) | (1 << 40)  # multicast bit: never a real MAC address

    def close(self):
        self.cluster.shutdown()

    @staticmethod
    def order(position):
        parsed = Position.parse(position)
        return parsed.bucket, parsed.after.key

    def typed_rows(self):
        """(position, typed values) of every event, in the lake's order. A row whose typed cells
        are empty comes back with None values."""
        rows = self.session.execute(f"SELECT bucket, ingest_id, {', '.join(N_COLUMNS)} FROM {KEYSPACE}.tracking")
        ordered = sorted(((row[0], TimeUUID(row[1]), tuple(row[2:])) for row in rows), key=lambda r: (r[0], r[1].key))
        return [(f"{bucket}:{ingest_id.value}", *values) for bucket, ingest_id, values in ordered]

    def unusable_events(self):
        """The events a lake written by other means may hold that a Cassandra row can hold (its ids
        are 32-bit `int`s): no event time, a kind code no release writes."""
        return [event for event in super().unusable_events() if event.job_id < 2**31]

    def insert(self, event, at=None):
        """A typed event (reference.TypedEvent, or None for a row whose typed cells are empty)
        inserted with the driver, its `ingest_id` stamped now, or at the epoch second `at` (ahead
        of the present: a collector whose clock runs ahead, or a write still in flight). Returns
        its position."""
        stamp = time.time() if at is None else at
        ingest_id = uuid_from_time(stamp, node=self.node, clock_seq=random.getrandbits(14))
        bucket = int(stamp) // self.bucket_seconds * self.bucket_seconds
        values = (None,) * len(N_COLUMNS) if event is None else event.astuple()
        self.session.execute(self.insert_statement, (bucket, ingest_id, int(stamp * 1000), *values))
        position = f"{bucket}:{ingest_id}"
        self.record(position, event or reference.TypedEvent(0, 0, 0, 0, 0, 0, None))
        return position

    def identity(self):
        return self.session.execute(f"SELECT identity FROM {KEYSPACE}.lake_meta WHERE id = 'lake'").one()[0]
