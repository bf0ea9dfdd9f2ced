"""Crashes between the aggregation and the commit, and inside the commit, lose nothing and count
nothing twice: after each crash the warehouse holds exactly the batches before it, and a restart
(once the crashed run's lease has expired, or after waiting for another holder's) ends with the
ground truth."""

import time

from checks import assert_matches_ground_truth, wait_until
from reference import expected_warehouse
from spark_job import CRASH_EXIT_CODE, describe, kill_tree

BATCH = 600
OPTIONS = ("--batch-size", str(BATCH), "--lease-ttl", "1")
# (JOBPULSE_CRASH_AT, batches committed in all by the end of that run)
CRASHES = (
    ("aggregated:2", 1),  # batch 1 commits; batch 2 dies before the transaction
    ("deltas-merged:2", 2),  # batch 1 of the restart commits; batch 2 dies after its merges
    ("position-written:1", 2),  # dies after the position update, before the commit
)
FOREIGN_OWNER = "swift:elsewhere:1:0000"


def test_crashes_lose_and_double_nothing(lake, make_warehouse, spark_for, tmp_path):
    lake.add_edge_cases()
    warehouse = make_warehouse(jobs=lake.jobs_csv)
    spark = spark_for(lake, warehouse)
    companies = warehouse.companies()

    for crash_at, committed_batches in CRASHES:
        result = spark.run_once(*OPTIONS, crash_at=crash_at)
        assert result.returncode == CRASH_EXIT_CODE, describe(result)
        state = warehouse.state()
        assert int(state["position"]) == committed_batches * BATCH, crash_at
        assert int(state["batches"]) == committed_batches
        assert state["lease_owner"] is not None, "a crash releases nothing"
        assert_matches_ground_truth(warehouse, expected_warehouse(lake.events_up_to(committed_batches * BATCH), companies))

    hold_lease(warehouse, FOREIGN_OWNER)
    stdout_path, stderr_path = tmp_path / "restart.out", tmp_path / "restart.err"
    with open(stdout_path, "w") as stdout, open(stderr_path, "w") as stderr:
        process = spark.start("--once", *OPTIONS, stdout=stdout, stderr=stderr)
        try:
            wait_until(lambda: f"held by {FOREIGN_OWNER}" in stdout_path.read_text(), 180, "the engine to wait for the lease")
            assert warehouse.state()["batches"] == "2", "nothing is written while another ETL holds the lease"
            expire_lease(warehouse)
            exit_code = process.wait(timeout=240)
        finally:
            kill_tree(process)
    assert exit_code == 0, stdout_path.read_text() + stderr_path.read_text()[-4000:]
    assert warehouse.state()["lease_owner"] is None
    assert_matches_ground_truth(warehouse, expected_warehouse(lake.events_up_to(), companies))


def hold_lease(warehouse, owner):
    """Another ETL takes the lease, for long."""
    until = int(time.time() * 1000) + 600_000
    warehouse.server.sql(f"UPDATE etl_state SET lease_owner = '{owner}', lease_expires_at = {until}", warehouse.database)


def expire_lease(warehouse):
    warehouse.server.sql("UPDATE etl_state SET lease_expires_at = 0", warehouse.database)
