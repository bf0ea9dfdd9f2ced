"""The Spark engine on a Cassandra lake (the stand-in node, as a process), read with the DataStax
Python driver and the engine's own data source: the same warehouse as the Swift engine, batch for
batch; crashes between aggregation and commit that lose and double nothing; the lease shared with a
Swift ETL that is running; and `jobpulse etl --engine spark` on a lake that wants credentials."""

import os
import signal
import time
from urllib.parse import quote

from cassandra_lakes import CassandraTestLake
from checks import assert_matches_ground_truth, committed_position, wait_until
from jobpulse_cli import jobpulse, swift_etl_on
from lakes import edge_rows
from reference import TypedEvent, expected_warehouse
from spark_job import CRASH_EXIT_CODE, JOB, describe, kill_tree
from stand_in import StandInNode

BATCH = "500"
COMPARED_STATE = ("position", "lake_identity", "batches", "events_total", "funnel_total", "other_total",
                  "unusable_total", "last_unusable_position", "last_batch_events", "last_batch_grains",
                  "newest_event_ms")
# How far ahead of the present the late rows are stamped: beyond both engines' first runs, with
# room for a loaded machine (a Spark start alone can take half a minute there).
AHEAD_S = 90
CATCH_UP_TIMEOUT_S = 240


def late_events(now_ms):
    """Typed events for rows stamped ahead of the present: clicks and a conversion into grains
    that already have rows, and an event whose typed cells are empty (None)."""
    hour_ago = now_ms - 3_600_000
    return [TypedEvent(1, 60, 1, 1, 1, 2_500_000, hour_ago), TypedEvent(2, 60, 1, 1, 1, 0, hour_ago),
            TypedEvent(1, 61, 0, 0, 0, 125_000, now_ms), None]


def test_swift_and_spark_engines_agree_on_a_cassandra_lake(cassandra_lake, make_warehouse, spark_for):
    lake = cassandra_lake
    lake.add_edge_cases()
    lake.insert(None)  # a row whose typed cells are empty, as a keyspace of an earlier release holds
    swift_warehouse = make_warehouse("cassandra_swift", jobs=lake.jobs_csv)
    spark_warehouse = make_warehouse("cassandra_spark", jobs=lake.jobs_csv)
    spark = spark_for(lake, spark_warehouse)
    # Late rows: stamped ahead of the present, in two buckets, and written now; no reader may
    # take them before their time has come.
    due = time.time() + AHEAD_S
    late = [lake.insert(event, at=due + index * 0.7) for index, event in enumerate(late_events(int(time.time() * 1000)))]

    for round_number in (1, 2):
        swift_etl_on(lake.storage, swift_warehouse.url, BATCH)
        result = spark.run_once("--batch-size", BATCH)
        assert result.returncode == 0, describe(result)
        swift_state, spark_state = swift_warehouse.state("cassandra"), spark_warehouse.state("cassandra")
        assert {name: swift_state[name] for name in COMPARED_STATE} == {name: spark_state[name] for name in COMPARED_STATE}
        if round_number == 1:
            assert lake.order(spark_state["position"]) < lake.order(late[0]), "a row was read before its time"
            assert time.time() < due, "the first round outlasted the late rows' lead; raise AHEAD_S"
            lake.generate(900, seed=9, jobs=False)  # more traffic, some of it with old event times
            lake.import_rows(edge_rows()[::3])  # into grains that have rows
            time.sleep(max(0.0, due + len(late) - time.time()))
            assert int(spark_state["batches"]) >= 5

    assert spark_state["position"] == late[-1], "the last batch ends on the last late row"
    assert spark_warehouse.events_text() == swift_warehouse.events_text()
    expected = expected_warehouse(lake.events_up_to(), spark_warehouse.companies(), source="cassandra")
    assert_matches_ground_truth(spark_warehouse, expected)


# (JOBPULSE_CRASH_AT, batches committed in all by the end of that run)
CRASHES = (
    ("aggregated:2", 1),  # batch 1 commits; batch 2 dies before the transaction
    ("position-written:1", 1),  # dies after the position update, before the commit
    ("deltas-merged:2", 2),  # batch 1 of the restart commits; batch 2 dies after its merges
)


def test_crashes_on_a_cassandra_lake_lose_and_double_nothing(cassandra_lake, make_warehouse, spark_for):
    lake = cassandra_lake
    warehouse = make_warehouse(jobs=lake.jobs_csv)
    spark = spark_for(lake, warehouse)
    companies = warehouse.companies()
    batch = 600
    for crash_at, committed_batches in CRASHES:
        result = spark.run_once("--batch-size", str(batch), "--lease-ttl", "1", crash_at=crash_at)
        assert result.returncode == CRASH_EXIT_CODE, describe(result)
        state = warehouse.state("cassandra")
        last_committed = lake.events[committed_batches * batch - 1][0]
        assert (state["position"], int(state["batches"])) == (last_committed, committed_batches), crash_at
        assert state["lease_owner"] is not None, "a crash releases nothing"
        expected = expected_warehouse(lake.events_up_to(last_committed), companies, source="cassandra")
        assert_matches_ground_truth(warehouse, expected)
    result = spark.run_once("--batch-size", str(batch), "--lease-ttl", "1")
    assert result.returncode == 0, describe(result)
    assert warehouse.state("cassandra")["lease_owner"] is None
    assert_matches_ground_truth(warehouse, expected_warehouse(lake.events_up_to(), companies, source="cassandra"))


def test_spark_waits_for_a_running_swift_etl_and_takes_over(live_cassandra_lake, make_warehouse, spark_for, tmp_path):
    lake = live_cassandra_lake
    warehouse = make_warehouse(jobs=lake.jobs_csv)
    committed = lambda: committed_position(warehouse, "cassandra")  # noqa: E731
    with (open(tmp_path / "swift.out", "w") as swift_out, open(tmp_path / "spark.out", "w") as spark_out,
          open(tmp_path / "spark.err", "w") as spark_err):
        swift = swift_etl_on(lake.storage, warehouse.url, BATCH, background=True, stdout=swift_out)
        spark = None
        try:
            wait_until(lambda: committed() == lake.last_position(), CATCH_UP_TIMEOUT_S, "the Swift ETL to catch up")
            spark = spark_for(lake, warehouse).start("--interval", "0.5", "--batch-size", BATCH, stdout=spark_out,
                                                     stderr=spark_err)
            swift_owner = warehouse.state("cassandra")["lease_owner"]
            assert swift_owner.endswith(f":{swift.pid}:" + swift_owner.rsplit(":", 1)[-1]), swift_owner
            wait_until(lambda: f"is held by {swift_owner}" in (tmp_path / "spark.out").read_text(), CATCH_UP_TIMEOUT_S,
                       "the Spark engine to wait for the Swift ETL's lease")
            lake.generate(300, seed=11, jobs=False)
            wait_until(lambda: committed() == lake.last_position(), CATCH_UP_TIMEOUT_S, "the Swift ETL to take new events")
            assert warehouse.state("cassandra")["lease_owner"] == swift_owner
            swift.send_signal(signal.SIGTERM)
            assert swift.wait(timeout=60) == 0
            lake.generate(300, seed=12, jobs=False)
            lake.add_edge_cases()
            wait_until(lambda: committed() == lake.last_position(), CATCH_UP_TIMEOUT_S, "the Spark engine to take over")
            assert warehouse.state("cassandra")["lease_owner"].startswith("spark:")
            spark.send_signal(signal.SIGTERM)
            exit_code = spark.wait(timeout=120)
        finally:
            for process in (swift, spark):
                if process is not None:
                    kill_tree(process)
    output = (tmp_path / "spark.out").read_text()
    assert exit_code == 0, output + (tmp_path / "spark.err").read_text()[-4000:]
    assert "batch committed" in output and "lease on the cassandra lake released" in output
    assert warehouse.state("cassandra")["lease_owner"] is None
    assert_matches_ground_truth(warehouse, expected_warehouse(lake.events_up_to(), warehouse.companies(), source="cassandra"))


def test_jobpulse_etl_engine_spark_on_a_cassandra_lake_with_credentials(binary, make_warehouse, spark_env, tmp_path):
    secret = "s3cret/pa:ss@word"
    node = StandInNode(user="reader", password=secret)
    try:
        lake = CassandraTestLake(node, tmp_path / "data", auth=("reader", secret))
        lake.generate(400, seed=5)
        lake.add_edge_cases()
        warehouse = make_warehouse(jobs=lake.jobs_csv)
        result = jobpulse("etl", "--engine", "spark", "--once", "--lake", lake.url, "--warehouse", warehouse.url,
                          "--spark-job", str(JOB), "--spark-master", "local[2]", "--batch-size", "300",
                          check=False, env=dict(os.environ, **spark_env))
        output = result.stdout + result.stderr
        assert result.returncode == 0, output[-6000:]
        assert "caught up at position" in output
        for shown in (secret, quote(secret, safe="")):
            assert shown not in output
        assert_matches_ground_truth(warehouse, expected_warehouse(lake.events_up_to(), warehouse.companies(), source="cassandra"))
        lake.close()
    finally:
        assert node.stop() == 0
