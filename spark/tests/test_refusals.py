"""What the engine refuses, with a message that says why: a warehouse filled from another lake, a
lake of an earlier layout, and a Cassandra lake without the connector. Secrets stay out of the
output."""

import sqlite3
from contextlib import closing
from urllib.parse import quote

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


def test_cassandra_lake_needs_the_connector(make_warehouse, spark_env):
    secret = "s3cret/pass"
    lake_url = f"cassandra://reader:{quote(secret, safe='')}@cassandra.example:9042/tracking"
    job = SparkJob(spark_env, lake_url, make_warehouse().url)
    result = job.run_once()
    assert result.returncode == 1, describe(result)
    assert "needs the Spark Cassandra connector" in result.stdout
    assert "--packages com.datastax.spark:spark-cassandra-connector_2.13" in result.stdout
    assert "spark.cassandra.connection.host=cassandra.example" in result.stdout
    assert secret not in result.stdout + result.stderr
    assert quote(secret, safe="") not in result.stdout + result.stderr
