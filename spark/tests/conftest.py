"""Fixtures: a private MariaDB server for the session, warehouse databases created with
`jobpulse migrate`, lakes of generated traffic imported by `jobpulse import`, and the Spark
engine's environment."""

import itertools
import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the engine's own modules, for unit tests

from jobpulse_cli import BUILT_BINARY, binary_present, import_jobs, migrate, snapshot_binary, supports_mysql  # noqa: E402
from lakes import TestLake  # noqa: E402
from mariadb import PrivateMariaDB  # noqa: E402
from spark_job import SparkJob, spark_environment  # noqa: E402
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
    """A TestLake holding 2,000 rows of generated traffic, imported (about 0.5% of the rows are
    rejected at admission, a few percent arrive late); its `jobs_csv` is the matching job dimension."""
    lake = TestLake(tmp_path / "data")
    lake.generate(2000, seed=7)
    return lake


@pytest.fixture(scope="session")
def spark_env(tmp_path_factory):
    """Spark's and Java's temp files go into a folder of the test session's own."""
    return spark_environment(tmp_path_factory.mktemp("spark-work"))


@pytest.fixture
def spark_for(spark_env):
    """spark_for(test_lake, warehouse_view) -> SparkJob reading that lake."""
    return lambda lake, view: SparkJob(spark_env, f"sqlite://{lake.path}", view.url)
