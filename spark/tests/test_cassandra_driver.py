"""The DataStax Python driver (PyPI `cassandra-driver`), an independent and widely used client,
against the stand-in node, on the lake's own tables and statements. Where they agree, the
stand-in (and so the Swift client tested against it) speaks the native protocol as real clients
and servers do."""

import time
import uuid

import pytest
from cassandra import AuthenticationFailed, ConsistencyLevel
from cassandra.auth import PlainTextAuthProvider
from cassandra.cluster import NoHostAvailable
from cassandra.query import UNSET_VALUE, BatchStatement, BatchType
from cassandra.util import Date, uuid_from_time

from jobpulse_cli import jobpulse
from stand_in import StandInNode, cluster_of, connect

BUCKET = 1_764_410_400  # a bucket's first second, as the lake numbers them
TRACKING_COLUMNS = ("bucket", "ingest_id", "received_at", "ts", "custom_track", "job_id", "n_kind", "n_job_id", "n_event_time")


@pytest.fixture
def lake(binary, tmp_path):
    """A stand-in node holding a JobPulse Cassandra lake created by `jobpulse migrate`, and a driver session on it."""
    node = StandInNode()
    storage = ("--lake", f"cassandra://127.0.0.1:{node.port}/jp?safety_lag_seconds=0", "--warehouse", f"sqlite://{tmp_path / 'warehouse.db'}")
    jobpulse("migrate", *storage)
    cluster, session = connect(node.port)
    yield node, storage, session
    cluster.shutdown()
    assert node.stop() == 0


def insert_statement(session):
    return session.prepare(f"INSERT INTO jp.tracking ({', '.join(TRACKING_COLUMNS)}) VALUES ({', '.join('?' * len(TRACKING_COLUMNS))})")


def row(bucket, ingest_id, job):
    return (bucket, ingest_id, 1_764_410_400_000, "2025-11-29 10:00:00", "click", str(job), 1, job, 1_764_410_400_000)


def test_prepared_inserts_read_back_in_timeuuid_order(lake):
    _, _, session = lake
    insert = insert_statement(session)
    ids = [uuid_from_time(1_764_410_400 + second / 10) for second in range(20)]
    for job, ingest_id in reversed(list(enumerate(ids))):  # written out of order
        session.execute(insert, row(BUCKET, ingest_id, job))
    select = session.prepare("SELECT ingest_id, n_job_id FROM jp.tracking WHERE bucket = ? AND ingest_id > ? AND ingest_id <= ? LIMIT ?")
    rows = list(session.execute(select, (BUCKET, ids[4], ids[15], 100)))
    assert [r.ingest_id for r in rows] == ids[5:16]
    assert [r.n_job_id for r in rows] == list(range(5, 16))
    count = session.prepare("SELECT count(*) FROM jp.tracking WHERE bucket = ? AND ingest_id > ? AND ingest_id <= ?")
    assert session.execute(count, (BUCKET, ids[0], ids[-1])).one()[0] == 19


def test_pages_follow_the_paging_state(lake):
    _, _, session = lake
    insert = insert_statement(session)
    ids = [uuid_from_time(1_764_410_400 + second / 100) for second in range(250)]
    for job, ingest_id in enumerate(ids):
        session.execute(insert, row(BUCKET, ingest_id, job))
    select = session.prepare("SELECT ingest_id FROM jp.tracking WHERE bucket = ? AND ingest_id > ? AND ingest_id <= ?")
    bound = select.bind((BUCKET, uuid_from_time(1_764_410_399), ids[-1]))
    bound.fetch_size = 40
    result = session.execute(bound)
    assert result.has_more_pages
    assert [r.ingest_id for r in result] == ids  # iterating fetches every page in turn


def test_unlogged_batches_of_one_partition(lake):
    _, _, session = lake
    insert = insert_statement(session)
    batch = BatchStatement(batch_type=BatchType.UNLOGGED)
    ids = [uuid_from_time(1_764_410_400 + second) for second in range(30)]
    for job, ingest_id in enumerate(ids):
        batch.add(insert, row(BUCKET, ingest_id, job))
    session.execute(batch)
    select = session.prepare("SELECT n_job_id FROM jp.tracking WHERE bucket = ? AND ingest_id > ? AND ingest_id <= ?")
    rows = session.execute(select, (BUCKET, uuid_from_time(1_764_410_399), ids[-1]))
    assert [r.n_job_id for r in rows] == list(range(30))


def test_the_driver_reads_what_jobpulse_wrote(lake):
    """Events written by `jobpulse generate` through the Swift client, read by the driver: the same
    count and the typed values of every event."""
    _, storage, session = lake
    output = jobpulse("generate", "--count", "300", "--days", "0", "--no-jobs", *storage).stdout
    accepted = int(output.split("accepted ")[1].split(" ")[0].replace(",", ""))
    meta = session.execute("SELECT first_bucket, bucket_seconds FROM jp.lake_meta WHERE id = 'lake'").one()
    select = session.prepare("SELECT ingest_id, n_kind, n_event_time FROM jp.tracking WHERE bucket = ? AND ingest_id > ? AND ingest_id <= ?")
    low, high = uuid_from_time(1), uuid_from_time(4_000_000_000)
    rows = []
    for bucket in range(meta.first_bucket, int(time.time()) + meta.bucket_seconds, meta.bucket_seconds):
        rows += list(session.execute(select, (bucket, low, high)))
    assert len(rows) == accepted
    assert all(r.n_kind in (0, 1, 2, 3, 4) and r.n_event_time > 0 for r in rows)


def test_authentication():
    node = StandInNode(user="jp", password="secret")
    try:
        cluster, session = connect(node.port, PlainTextAuthProvider("jp", "secret"))
        assert session.execute("SELECT release_version FROM system.local").one() is not None
        cluster.shutdown()
        cluster = cluster_of(node.port, PlainTextAuthProvider("jp", "wrong"))
        with pytest.raises(NoHostAvailable) as refused:
            cluster.connect()
        assert any(isinstance(error, AuthenticationFailed) for error in refused.value.errors.values())
        cluster.shutdown()
    finally:
        assert node.stop() == 0


def test_lightweight_transactions_of_lake_meta_and_intake_keys(lake):
    """The conditional statements of lake_meta and intake_keys, at serial consistency: applied
    once, then refused with the row that is there."""
    _, _, session = lake
    meta = session.prepare("INSERT INTO jp.lake_meta (id, identity, bucket_seconds, first_bucket, created_at, layout) "
                           "VALUES (?, ?, ?, ?, ?, ?) IF NOT EXISTS")
    meta.serial_consistency_level = ConsistencyLevel.SERIAL
    first = session.execute(meta, ("probe", "cassandra:first", 60, 1_764_410_340, 1_764_410_400_000, 2))
    assert first.was_applied
    second = session.execute(meta, ("probe", "cassandra:second", 30, 0, 1_764_410_400_000, 2))
    assert not second.was_applied
    assert second.one().identity == "cassandra:first" and second.one().bucket_seconds == 60

    owner, rival = uuid.uuid4(), uuid.uuid4()
    claim = session.prepare("INSERT INTO jp.intake_keys (key, owner, claimed_at, plans, receipt, done) "
                            "VALUES (?, ?, ?, ?, ?, ?) IF NOT EXISTS USING TTL ?")
    claim.serial_consistency_level = ConsistencyLevel.SERIAL
    assert session.execute(claim, ("k1", owner, 1_764_410_400_000, "[]", "{}", False, 3600)).was_applied
    refused = session.execute(claim, ("k1", rival, 1_764_410_400_000, "[]", "{}", False, 3600))
    assert not refused.was_applied and refused.one().owner == owner
    take_over = session.prepare("UPDATE jp.intake_keys USING TTL ? SET owner = ?, claimed_at = ?, plans = ?, receipt = ?, "
                                "done = ? WHERE key = ? IF owner = ?")
    take_over.serial_consistency_level = ConsistencyLevel.SERIAL
    assert not session.execute(take_over, (3600, rival, 1, "[]", "{}", True, "k1", rival)).was_applied
    assert session.execute(take_over, (3600, rival, 1, "[]", "{}", True, "k1", owner)).was_applied
    row = session.execute(session.prepare("SELECT owner, done FROM jp.intake_keys WHERE key = ?"), ("k1",)).one()
    assert (row.owner, row.done) == (rival, True)


def test_quarantine_rows_come_newest_first(lake):
    _, _, session = lake
    insert = session.prepare("INSERT INTO jp.quarantine (day, id, received_at, origin, location, reason, raw) "
                             "VALUES (?, ?, ?, ?, ?, ?, ?)")
    day = Date(20_421)  # 2025-11-29
    ids = [uuid_from_time(1_764_410_400 + second) for second in range(12)]
    for line, ingest_id in enumerate(ids):
        session.execute(insert, (day, ingest_id, 1_764_410_400_000, "import", line, "no ts", f"row {line}"))
    newest = session.execute(session.prepare("SELECT received_at, origin, location, reason, raw FROM jp.quarantine "
                                             "WHERE day = ? LIMIT ?"), (day, 5))
    assert [row.location for row in newest] == [11, 10, 9, 8, 7]
    assert session.execute(session.prepare("SELECT count(*) FROM jp.quarantine WHERE day = ?"), (day,)).one()[0] == 12
    window = session.prepare("SELECT id FROM jp.quarantine WHERE day = ? AND id >= ? AND id <= ?")
    assert [row.id for row in session.execute(window, (day, ids[3], ids[5]))] == [ids[5], ids[4], ids[3]]


def test_typed_update_leaves_unset_cells_alone(lake):
    """reprocess's UPDATE binds only the cells that change; the others are sent unset."""
    _, _, session = lake
    ingest_id = uuid_from_time(1_764_410_400.5)
    session.execute(insert_statement(session), row(BUCKET, ingest_id, 60))
    update = session.prepare("UPDATE jp.tracking SET n_kind = ?, n_job_id = ?, n_publisher_id = ?, n_campaign_id = ?, "
                             "n_group_id = ?, n_bid_micros = ?, n_event_time = ? WHERE bucket = ? AND ingest_id = ?")
    session.execute(update, (2, UNSET_VALUE, 7, UNSET_VALUE, UNSET_VALUE, 1_500_000, UNSET_VALUE, BUCKET, ingest_id))
    cells = session.execute(session.prepare("SELECT n_kind, n_job_id, n_publisher_id, n_bid_micros, n_event_time FROM jp.tracking "
                                            "WHERE bucket = ? AND ingest_id >= ? AND ingest_id <= ?"),
                            (BUCKET, ingest_id, ingest_id)).one()
    assert tuple(cells) == (2, 60, 7, 1_500_000, 1_764_410_400_000)


def test_schema_tables_alter_and_schema_versions(lake):
    """What migrate reads and runs: the schema tables, ALTER TABLE … ADD, and the schema version
    of every node it waits to agree."""
    _, _, session = lake
    tables = session.execute(session.prepare("SELECT table_name FROM system_schema.tables WHERE keyspace_name = ?"), ("jp",))
    assert {"tracking", "quarantine", "lake_meta", "intake_keys"} <= {row.table_name for row in tables}
    columns = session.prepare("SELECT column_name FROM system_schema.columns WHERE keyspace_name = ? AND table_name = ?")
    before = {row.column_name for row in session.execute(columns, ("jp", "tracking"))}
    assert {"bucket", "ingest_id", "n_kind", "n_event_time", "extra"} <= before
    session.execute("ALTER TABLE jp.tracking ADD probe_column int")  # the driver then waits for schema agreement
    assert {row.column_name for row in session.execute(columns, ("jp", "tracking"))} == before | {"probe_column"}
    assert isinstance(session.execute("SELECT schema_version FROM system.local").one().schema_version, uuid.UUID)
    assert list(session.execute("SELECT schema_version FROM system.peers")) == []  # a single node
