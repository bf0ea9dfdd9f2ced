#!/usr/bin/env bash
# Runs the Spark engine's tests: installs what is missing (PySpark 4.0.1, Java 17, the JDBC
# drivers, MariaDB, pytest, the DataStax Cassandra driver, PyArrow), keeps Spark's files in a folder of its
# own, and runs pytest.
# Exits non-zero on any failure, including when no test was collected.
#
# Needs the built binaries .build/debug/jobpulse (with the MySQL warehouse), or JOBPULSE_BINARY,
# and .build/debug/cassandra-stand-in, or JOBPULSE_STAND_IN.
# Extra arguments go to pytest, e.g. spark/run-tests.sh -k equivalence
set -euo pipefail

SPARK_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PYTHON="${PYTHON:-python3}"

missing_packages=()
command -v java >/dev/null 2>&1 || missing_packages+=(openjdk-17-jre-headless)
[ -f /usr/share/java/mariadb-java-client.jar ] || missing_packages+=(libmariadb-java)
[ -f /usr/share/java/sqlite-jdbc.jar ] || missing_packages+=(libxerial-sqlite-jdbc-java)
command -v mariadbd >/dev/null 2>&1 || missing_packages+=(mariadb-server)
if [ ${#missing_packages[@]} -gt 0 ]; then
    echo "installing ${missing_packages[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing_packages[@]}" >/dev/null
fi

if ! "$PYTHON" -c 'import pyspark, sys; sys.exit(pyspark.__version__ != "4.0.1")' 2>/dev/null; then
    echo "installing pyspark 4.0.1 (about a minute)"
    "$PYTHON" -m pip install --quiet pyspark==4.0.1
fi
"$PYTHON" -c 'import pytest' 2>/dev/null || "$PYTHON" -m pip install --quiet pytest
# The DataStax driver, with which the engine reads a Cassandra lake (and the tests check the
# stand-in node against an independent client); its pure Python build needs no compiler. PyArrow
# carries the rows of Spark's Python data sources.
"$PYTHON" -c 'import cassandra' 2>/dev/null \
    || CASS_DRIVER_NO_EXTENSIONS=1 CASS_DRIVER_NO_CYTHON=1 "$PYTHON" -m pip install --quiet cassandra-driver==3.30.1
"$PYTHON" -c 'import pyarrow' 2>/dev/null || "$PYTHON" -m pip install --quiet pyarrow==26.0.1

# spark-submit lives beside the Python that has pyspark.
PATH="$("$PYTHON" -c 'import sysconfig; print(sysconfig.get_path("scripts"))'):$PATH"
command -v spark-submit >/dev/null || { echo "spark-submit not found after installing pyspark" >&2; exit 1; }

WORK="$(mktemp -d "${TMPDIR:-/tmp}/jobpulse-spark-tests.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/spark"
export SPARK_LOCAL_DIRS="$WORK/spark" SPARK_LOCAL_IP=127.0.0.1
export JAVA_TOOL_OPTIONS="-Djava.io.tmpdir=$WORK/spark -XX:-UsePerfData"
export PATH PYTHONDONTWRITEBYTECODE=1

cd "$SPARK_DIR/.."
status=0
"$PYTHON" -m pytest spark/tests --basetemp="$WORK/pytest" "$@" || status=$?
if [ "$status" -eq 5 ]; then
    echo "no tests were collected" >&2
    exit 1
fi
exit "$status"
