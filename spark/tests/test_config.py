"""Arguments, storage URLs, the lake layout check, the crash hook and the commit statements,
without Spark."""

import subprocess
import sys

import pytest

from jobpulse_etl.config import ConfigurationError, CrashPoint, parse_storage_url, settings_from
from jobpulse_etl.cassandra_connection import CassandraSettings
from jobpulse_etl.lake import layout_problem
from jobpulse_etl.warehouse import (
    MERGE_ROWS_PER_STATEMENT, STATEMENT_NAMES, Statement, WarehouseError, expand_rows, jdbc_target, load_statements,
    merge_plan, sql_timestamp,
)
from spark_job import JOB


def test_mysql_url_is_percent_decoded_and_masked():
    url = parse_storage_url("mysql://jp:p%40ss%2Fw%3Ard@db.example:3307/job%20pulse")
    assert (url.user, url.password, url.host, url.port, url.path) == ("jp", "p@ss/w:rd", "db.example", 3307, "job pulse")
    assert str(url) == "mysql://jp:***@db.example:3307/job pulse"
    assert "p@ss" not in repr(url)


def test_sqlite_url_is_a_path():
    url = parse_storage_url("sqlite:///var/lib/jobpulse/lake%20one.db")
    assert (url.scheme, url.path) == ("sqlite", "/var/lib/jobpulse/lake one.db")


@pytest.mark.parametrize("text", ["lake.db", "mysql://jp:pw@host:99999/db", "sqlite://"])
def test_malformed_urls_are_refused_without_the_password(text):
    with pytest.raises(ConfigurationError) as refused:
        parse_storage_url(text)
    assert "pw" not in str(refused.value)


def test_environment_supplies_the_urls():
    settings = settings_from(["--once"], {"JOBPULSE_LAKE": "sqlite:///l.db", "JOBPULSE_WAREHOUSE": "mysql://u:p@h/db"})
    assert (settings.lake.path, settings.warehouse.path, settings.batch_size, settings.interval) == ("/l.db", "db", 1_000_000, 1.0)
    assert settings.sql_dir.joinpath("merge-events.mysql.sql").is_file()


def test_arguments_win_over_the_environment():
    settings = settings_from(["--lake", "sqlite:///a.db", "--warehouse", "mysql://u:p@h/a", "--batch-size", "5"],
                             {"JOBPULSE_LAKE": "sqlite:///b.db", "JOBPULSE_WAREHOUSE": "mysql://u:p@h/b"})
    assert (settings.lake.path, settings.warehouse.path, settings.batch_size) == ("/a.db", "a", 5)


def test_missing_lake_is_reported():
    with pytest.raises(ConfigurationError, match="JOBPULSE_LAKE"):
        settings_from([], {})


def test_bad_arguments_exit_2_before_spark_starts():
    result = subprocess.run([sys.executable, str(JOB), "--batch-size", "0"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert "--batch-size" in result.stderr


def test_only_lakes_of_layout_2_are_read():
    url = parse_storage_url("sqlite:///var/lib/jobpulse/lake.db")
    assert layout_problem("2", url) is None
    for earlier in (None, "1"):
        assert layout_problem(earlier, url) == (
            "the lake sqlite:///var/lib/jobpulse/lake.db has the layout of an earlier JobPulse; "
            "run `jobpulse migrate --lake sqlite:///var/lib/jobpulse/lake.db` to upgrade it")
    for unknown in ("3", "2.1", ""):
        assert f"has layout {unknown}, which this Spark engine cannot read" in layout_problem(unknown, url)


def test_crash_point_counts_batches_that_read():
    crash = CrashPoint("deltas-merged:2")
    assert (crash.step, crash.batch) == ("deltas-merged", 2)
    assert CrashPoint("nonsense:1").step is None
    assert CrashPoint("read").batch == 1


def test_statements_are_the_repository_files():
    statements = load_statements(settings_from([], {"JOBPULSE_LAKE": "sqlite:///l", "JOBPULSE_WAREHOUSE": "mysql://h/d"}).sql_dir)
    assert set(statements) == set(STATEMENT_NAMES)
    assert statements["merge-events"].text.count("?") == 17 and statements["merge-events"].parameter_names == ()
    advance = statements["advance-position"]
    assert advance.text.count("?") == 16 == len(advance.parameter_names)
    assert advance.parameter_names[:3] == ("position", "now", "events") and advance.parameter_names[-1] == "start"
    assert ":" not in advance.text.split("UPDATE", 1)[1], "every name became a marker"
    assert statements["take-lease"].arguments(owner="o", expires_at=2, source="s", now=1) == ("o", 2, "s", "o", 1)
    with pytest.raises(WarehouseError):
        statements["release-lease"].arguments(source="s")


def test_names_in_comments_and_literals_stay_text():
    parsed = Statement.parse("probe", "-- :not_a_name here\nSELECT ':nor_this', x FROM t WHERE a = :a AND b = :b_2 AND c = :a")
    assert parsed.text == "-- :not_a_name here\nSELECT ':nor_this', x FROM t WHERE a = ? AND b = ? AND c = ?"
    assert parsed.parameter_names == ("a", "b_2", "a")


@pytest.mark.parametrize("grains", [0, 1, 7, 1023, 1024, 1025, 46_664])
def test_merge_plan_covers_every_grain_in_few_statements(grains):
    plan = merge_plan(grains)
    assert sum(plan) == grains
    assert all(0 < size <= MERGE_ROWS_PER_STATEMENT for size in plan)
    assert len(plan) <= grains // MERGE_ROWS_PER_STATEMENT + 10


def test_expanded_merge_repeats_the_values_row_only():
    merge = load_statements(settings_from([], {"JOBPULSE_LAKE": "sqlite:///l", "JOBPULSE_WAREHOUSE": "mysql://h/d"}).sql_dir)[
        "merge-events"].text
    expanded = expand_rows(merge, 1024)
    assert expanded.count("?") == 17 * 1024
    assert expanded.replace(", (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", "") == merge
    assert expand_rows(merge, 1) == merge


def test_sql_timestamp_matches_the_swift_format():
    assert sql_timestamp(1_658_127_911_130) == "2022-07-18 07:05:11.130"
    assert sql_timestamp(0) == "1970-01-01 00:00:00.000"


def test_warehouse_url_becomes_a_jdbc_target_with_the_password_as_a_property():
    target = jdbc_target(parse_storage_url("mysql://jp:s%40cret@db.example/jobpulse"))
    assert target.url == "jdbc:mysql://db.example:3306/jobpulse"
    assert (target.properties["user"], target.properties["password"]) == ("jp", "s@cret")
    assert "useSsl" not in target.properties


def test_warehouse_url_parameters_of_the_swift_binary_are_honoured():
    target = jdbc_target(parse_storage_url(
        "mysql://jp:pw@db:3306/jobpulse?ssl=required&ssl_ca=/etc/ca.pem&connect_timeout=5&read_timeout=30"))
    assert target.properties["useSsl"] == "true"
    assert target.properties["trustServerCertificate"] == "false"
    assert target.properties["serverSslCert"] == "/etc/ca.pem"
    assert (target.properties["connectTimeout"], target.properties["socketTimeout"]) == ("5000", "30000")
    assert jdbc_target(parse_storage_url("mysql://jp:pw@db/j?ssl=required")).properties["trustServerCertificate"] == "true"


@pytest.mark.parametrize("query", ["ssl=maybe", "pool=3", "ssl=disabled&ssl_ca=/ca.pem", "connect_timeout=1.5"])
def test_unknown_or_bad_warehouse_parameters_are_refused(query):
    with pytest.raises(ConfigurationError):
        jdbc_target(parse_storage_url(f"mysql://jp:pw@db/jobpulse?{query}"))


def test_warehouse_must_be_mysql_with_a_database():
    for text in ("sqlite:///w.db", "mysql://jp:pw@db:3306"):
        with pytest.raises(ConfigurationError):
            jdbc_target(parse_storage_url(text))


def test_several_hosts_and_ipv6_as_the_swift_binary_reads_them():
    url = parse_storage_url("cassandra://jp:pw@10.0.0.1:9042,[fd00::7]:9043,node3/JobPulse?consistency=quorum")
    assert url.hosts == (("10.0.0.1", 9042), ("fd00::7", 9043), ("node3", None))
    assert (url.host, url.port) == ("10.0.0.1", 9042)
    assert str(url) == "cassandra://jp:***@10.0.0.1:9042,[fd00::7]:9043,node3/JobPulse?consistency=quorum"
    settings = CassandraSettings.from_url(url)
    assert settings.hosts == (("10.0.0.1", 9042), ("fd00::7", 9043), ("node3", 9042))
    assert (settings.keyspace, settings.consistency, settings.user, settings.password) == ("jobpulse", "QUORUM", "jp", "pw")
    assert "pw" not in repr(settings) and "pw" not in settings.text
    assert parse_storage_url("mysql://u:p@[::1]:3307/db").host == "[::1]"


def test_cassandra_options_have_the_swift_lake_defaults_and_ranges():
    settings = CassandraSettings.from_url(parse_storage_url("cassandra://node/jp"))
    assert (settings.consistency, settings.safety_lag_ms, settings.page_size, settings.count_limit) == ("LOCAL_QUORUM", 5000, 5000, 100_000)
    assert settings.bucket_seconds is None and not settings.ssl
    tuned = CassandraSettings.from_url(parse_storage_url(
        "cassandra://node/jp?safety_lag_seconds=2.5&bucket_seconds=30&page_size=100&ssl=required&ssl_verify=ca&claim_lease_seconds=3"))
    assert (tuned.safety_lag_ms, tuned.bucket_seconds, tuned.page_size, tuned.ssl, tuned.ssl_verify) == (2500, 30, 100, True, "ca")


@pytest.mark.parametrize("query", ["consistency=ANY", "consistency=SERIAL", "bucket_seconds=0", "bucket_seconds=86401",
                                   "safety_lag_seconds=-1", "safety_lag_seconds=nan", "page_size=x", "ssl_ca=/ca.pem",
                                   "ssl=maybe", "ssl=required&ssl_verify=some", "bucket_size=60"])
def test_bad_cassandra_options_are_refused_before_spark_starts(query):
    with pytest.raises(ConfigurationError) as refused:
        settings_from(["--lake", f"cassandra://jp:pw@node/jp?{query}", "--warehouse", "mysql://u:p@h/d"])
    assert query.split("=")[0].split("&")[-1] in str(refused.value) or "ssl" in str(refused.value)
    assert "pw" not in str(refused.value)


@pytest.mark.parametrize("text", ["cassandra:///jp", "cassandra://node/", "cassandra://node/9lives", "cassandra://node/a-b"])
def test_cassandra_url_needs_hosts_and_a_keyspace(text):
    with pytest.raises(ConfigurationError):
        CassandraSettings.from_url(parse_storage_url(text))
