"""The Spark engine, running continuously while events arrive, ends with exactly the warehouse a
from-scratch aggregation in plain Python gives; SIGTERM lets it finish and release the lease."""

import signal

from checks import assert_matches_ground_truth, committed_position, wait_until
from lakes import edge_rows
from mariadb import PASSWORD
from reference import expected_warehouse
from spark_job import kill_tree

CATCH_UP_TIMEOUT_S = 240


def test_continuous_run_matches_ground_truth(lake, make_warehouse, spark_for, tmp_path):
    lake.add_edge_cases()
    warehouse = make_warehouse(jobs=lake.jobs_csv)
    stdout_path, stderr_path = tmp_path / "spark.out", tmp_path / "spark.err"
    with open(stdout_path, "w") as stdout, open(stderr_path, "w") as stderr:
        process = spark_for(lake, warehouse).start("--interval", "1", "--batch-size", "500", stdout=stdout, stderr=stderr)
        try:
            target = lake.last_position()
            wait_until(lambda: committed_position(warehouse) == target, CATCH_UP_TIMEOUT_S, f"position {target}")
            lake.generate(600, seed=8, jobs=False)  # more traffic, some of it late
            lake.import_rows(edge_rows()[::5])  # adds to grains that already have rows
            target = lake.last_position()
            wait_until(lambda: committed_position(warehouse) == target, CATCH_UP_TIMEOUT_S, f"position {target}")
            process.send_signal(signal.SIGTERM)
            exit_code = process.wait(timeout=120)
        finally:
            kill_tree(process)
    output, errors = stdout_path.read_text(), stderr_path.read_text()
    assert exit_code == 0, output + errors[-4000:]
    assert "lease on the sqlite lake released" in output
    assert output.count("batch committed") >= 5
    assert PASSWORD not in output + errors
    state = warehouse.state()
    assert state["lease_owner"] is None
    assert int(state["position"]) == target
    assert_matches_ground_truth(warehouse, expected_warehouse(lake.events_up_to(), warehouse.companies()))
