"""What the engine refuses, with a message that says why: a warehouse filled from another lake,
lakes of an earlier layout, a keyspace that holds no lake. Nothing is written for them."""

import sqlite3
from contextlib import closing

from cassandra_lakes import CassandraTestLake
from spark_job import SparkJob, describe


def test_warehouse_of_another_lake_is_refused(lake, make_warehouse, spark_for):
    warehouse = make_warehouse()
    warehouse.server.sql("INSERT INTO etl_state (source, position, updated_at, lake_identity) "
                         "VALUES ('sqlite', '17', NOW(), 'sqlite:another-lake')", warehouse.database)
    result = spark_for(lake, warehouse).run_once()
    assert result.returncode == 1, describe(result)
    assert f"belongs to lake sqlite:another-lake, not to {lake.identity()}" in result.stdout
    state = warehouse.state()
    assert (state["position"], state["lease_owner"], state["batches"]) == ("17", None, "0")


def test_lake_of_an_earlier_layout_is_refused(lake, make_warehouse, spark_for):
    with closing(sqlite3.connect(lake.path)) as connection, connection:
        assert connection.execute("DELETE FROM lake_meta WHERE name = 'layout'").rowcount == 1
    warehouse = make_warehouse()
    result = spark_for(lake, warehouse).run_once()
    assert result.returncode == 1, describe(result)
    assert (f"the lake sqlite://{lake.path} has the layout of an earlier JobPulse; "
            f"run `jobpulse migrate --lake sqlite://{lake.path}` to upgrade it") in result.stdout
    assert warehouse.state() is None, "nothing is written for a lake that cannot be read"


def test_cassandra_lake_of_an_earlier_layout_or_no_lake_is_refused(binary, stand_in, make_warehouse, spark_env, tmp_path):
    lake = CassandraTestLake(stand_in, tmp_path / "data")
    lake.session.execute(lake.session.prepare("UPDATE jp.lake_meta SET layout = ? WHERE id = ?"), (None, "lake"))
    warehouse = make_warehouse()
    result = SparkJob(spark_env, lake.url, warehouse.url).run_once()
    assert result.returncode == 1, describe(result)
    assert (f"the lake {lake.url} has the layout of an earlier JobPulse; run `jobpulse migrate --lake {lake.url}` "
            "to upgrade it") in result.stdout
    elsewhere = lake.url.replace("/jp?", "/nolake?")
    result = SparkJob(spark_env, elsewhere, warehouse.url).run_once()
    assert result.returncode == 1, describe(result)
    assert "no JobPulse lake in keyspace nolake" in result.stdout and "jobpulse migrate --lake" in result.stdout
    assert warehouse.state("cassandra") is None, "nothing is written for a lake that cannot be read"
    lake.close()
