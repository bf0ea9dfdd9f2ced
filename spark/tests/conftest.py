"""Fixtures: a private MariaDB server for the session, warehouse databases created with
`jobpulse migrate`, lakes of generated traffic imported by `jobpulse import`, and the Spark
engine's environment."""

import itertools
import shutil
import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the engine's own modules, for unit tests

from cassandra_lakes import CassandraTestLake  # noqa: E402
from jobpulse_cli import BUILT_BINARY, binary_present, import_jobs, migrate, snapshot_binary, supports_mysql  # noqa: E402
from lakes import SQLiteTestLake  # noqa: E402
from mariadb import PrivateMariaDB  # noqa: E402
from spark_job import SparkJob, spark_environment  # noqa: E402
from stand_in import StandInNode  # noqa: E402
from warehouse_view import WarehouseView  # noqa: E402

_database_numbers = itertools.count(1)


@pytest.fixture(scope="session")
def binary(tmp_path_factory):
    if not binary_present():
        pytest.fail(f"the jobpulse binary is missing at {BUILT_BINARY}: build the Swift package first "
                    "(swift build --traits MySQL)")
    return snapshot_binary(tmp_path_factory.mktemp("bin"))


@pytest.fixture(scope="session")
def mariadb(tmp_path_factory):
    if not shutil.which("mariadbd"):
        pytest.fail("mariadbd is not installed (apt-get install -y mariadb-server); spark/run-tests.sh installs it")
    server = PrivateMariaDB(str(tmp_path_factory.mktemp("mariadb")))
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def mysql_support(binary, mariadb, tmp_path_factory):
    """Whether the binary opens MySQL warehouses (`jobpulse migrate` on a scratch database)."""
    return supports_mysql(mariadb.create_database("probe"), str(tmp_path_factory.mktemp("probe")))


@pytest.fixture
def make_warehouse(mariadb, mysql_support, tmp_path):
    """make_warehouse(name=None, jobs=None) -> WarehouseView of a new database whose tables
    `jobpulse migrate` created, with the job dimension `jobpulse import-jobs` loads from `jobs`."""
    if not mysql_support:
        pytest.fail(f"{BUILT_BINARY} has no MySQL warehouse, so `jobpulse migrate` cannot create the schema: "
                    "build it with `swift build --traits MySQL`")

    def make(name=None, jobs=None):
        database = name or f"wh{next(_database_numbers)}"
        url = mariadb.create_database(database)
        scratch = str(tmp_path / f"cli-{database}")
        migrate(url, scratch)
        if jobs is not None:
            import_jobs(url, scratch, str(jobs))
        return WarehouseView(mariadb, database, url)

    return make


@pytest.fixture
def lake(binary, tmp_path):
    """An SQLiteTestLake holding 2,000 rows of generated traffic, imported (about 0.5% of the rows are
    rejected at admission, a few percent arrive late); its `jobs_csv` is the matching job dimension."""
    lake = SQLiteTestLake(tmp_path / "data")
    lake.generate(2000, seed=7)
    return lake


@pytest.fixture
def stand_in():
    """A cassandra-stand-in node of the test's own; it must exit cleanly."""
    node = StandInNode()
    yield node
    assert node.stop() == 0


def generated_cassandra_lake(stand_in, tmp_path, safety_lag_seconds=0):
    """A CassandraTestLake of 1-second buckets on the stand-in, holding 2,000 rows of generated
    traffic imported in four calls a bucket apart (so in four buckets); `jobs_csv` is the job
    dimension of the first."""
    lake = CassandraTestLake(stand_in, tmp_path / "data", safety_lag_seconds=safety_lag_seconds)
    for part, seed in enumerate((7, 17, 27, 37)):
        if part:
            time.sleep(1.05 * lake.bucket_seconds)
        lake.generate(500, seed=seed, jobs=part == 0)
    return lake


@pytest.fixture
def cassandra_lake(binary, stand_in, tmp_path):
    """The generated lake, read without a safety lag: for tests that read it at rest."""
    lake = generated_cassandra_lake(stand_in, tmp_path)
    yield lake
    lake.close()


@pytest.fixture
def live_cassandra_lake(binary, stand_in, tmp_path):
    """The generated lake, read with the default safety lag (5 s): for tests that import into it
    while an ETL reads. An import's rows land within the safety lag of their ids' time, so a
    reader without one may pass ids whose rows are still in flight and never count them."""
    lake = generated_cassandra_lake(stand_in, tmp_path, safety_lag_seconds=5)
    yield lake
    lake.close()


@pytest.fixture(scope="session")
def spark_env(tmp_path_factory):
    """Spark's and Java's temp files go into a folder of the test session's own."""
    return spark_environment(tmp_path_factory.mktemp("spark-work"))


@pytest.fixture
def spark_for(spark_env):
    """spark_for(test_lake, warehouse_view) -> SparkJob reading that lake."""
    return lambda lake, view: SparkJob(spark_env, lake.url, view.url)
