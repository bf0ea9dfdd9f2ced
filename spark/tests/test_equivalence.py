"""The Swift engine and the Spark engine, given the same lake in the same batches (more events,
late ones among them, arriving between runs), write identical warehouses: the same `events` rows,
column for column, and the same etl_state accounting, unusable events included."""

import pytest

from checks import assert_matches_ground_truth
from jobpulse_cli import BUILT_BINARY, swift_etl
from reference import expected_warehouse
from spark_job import describe

BATCH = "500"
COMPARED_STATE = ("position", "lake_identity", "batches", "events_total", "funnel_total", "other_total",
                  "unusable_total", "last_unusable_position", "last_batch_events", "last_batch_grains",
                  "newest_event_ms")


def test_swift_and_spark_engines_agree(lake, mysql_support, make_warehouse, spark_for):
    if not mysql_support:
        pytest.skip(f"{BUILT_BINARY} was built without the MySQL warehouse, so the Swift engine cannot fill db_a "
                    "(build with `swift build --traits MySQL`)")
    lake.add_edge_cases()
    swift_warehouse = make_warehouse("db_a", jobs=lake.jobs_csv)
    spark_warehouse = make_warehouse("db_b", jobs=lake.jobs_csv)
    spark = spark_for(lake, spark_warehouse)

    for round_number in (1, 2):
        swift_etl(str(lake.data), swift_warehouse.url, BATCH)
        result = spark.run_once("--batch-size", BATCH)
        assert result.returncode == 0, describe(result)
        if round_number == 1:
            lake.generate(900, seed=9, jobs=False)  # more traffic, some of it late
            lake.add_edge_cases()  # every edge case again, into grains that have rows

    swift_rows, spark_rows = swift_warehouse.events_text(), spark_warehouse.events_text()
    assert set(swift_rows) == set(spark_rows)
    differing = [(swift_rows[grain], spark_rows[grain]) for grain in swift_rows if swift_rows[grain] != spark_rows[grain]]
    assert not differing, f"{len(differing)} rows differ, e.g. (Swift, Spark) {differing[:3]}"
    swift_state, spark_state = swift_warehouse.state(), spark_warehouse.state()
    assert {name: swift_state[name] for name in COMPARED_STATE} == {name: spark_state[name] for name in COMPARED_STATE}
    # Both are also the ground truth, so the comparison above covers every edge case.
    assert_matches_ground_truth(spark_warehouse, expected_warehouse(lake.events_up_to(), spark_warehouse.companies()))
