"""JobPulse's ETL on Apache Spark: the same exactly-once CDC batches as `jobpulse etl`, with the
aggregation done by Spark for event volumes past one machine.

    spark-submit --master local[2] \\
        --jars /usr/share/java/sqlite-jdbc.jar,/usr/share/java/mariadb-java-client.jar \\
        spark/jobpulse_spark.py --lake cassandra://user:password@host:9042/keyspace \\
        --warehouse mysql://user:password@host:3306/jobpulse [--once] [--interval 1] \\
        [--batch-size 1000000] [--lease-ttl 15] [--sql-dir Sources/Warehouse/SQL]

The lake is a sqlite:///path (read over JDBC) or a cassandra:// URL (read with the DataStax
Python driver, `pip install cassandra-driver pyarrow` on the driver and every executor).

Exit status: 0 when done (caught up with --once, or stopped by SIGTERM/SIGINT after the batch
under way), 1 when a batch or the set-up failed, 2 for bad arguments, 86 for an injected crash
(JOBPULSE_CRASH_AT). See spark/README.md.
"""

import logging
import signal
import sys
import tempfile
import threading
import zipfile
from pathlib import Path

from jobpulse_etl.config import ConfigurationError, CrashPoint, settings_from
from jobpulse_etl.jdbc import DriverMissing
from jobpulse_etl.lake import LakeError, open_lake
from jobpulse_etl.pipeline import Pipeline, default_owner
from jobpulse_etl.warehouse import MySQLWarehouse, WarehouseError, jdbc_target, load_statements

log = logging.getLogger("jobpulse.spark")

JARS_HINT = ("pass the JDBC drivers to spark-submit: --jars /usr/share/java/sqlite-jdbc.jar,"
             "/usr/share/java/mariadb-java-client.jar")


def configure_logging():
    """JobPulse's own lines go to standard output, each flushed at once."""
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    log.propagate = False


def ship_package(spark, directory):
    """Sends the package to the executors (the Cassandra lake's reader runs there), zipped into
    `directory`."""
    package = Path(__file__).resolve().parent / "jobpulse_etl"
    archive = Path(directory) / "jobpulse_etl.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        for source in sorted(package.glob("*.py")):
            zipped.write(source, f"jobpulse_etl/{source.name}")
    spark.sparkContext.addPyFile(str(archive))


def start_spark():
    from pyspark.sql import SparkSession

    spark = (
        SparkSession.builder.appName("jobpulse-etl")
        .config("spark.sql.session.timeZone", "UTC")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("WARN")
    if not spark.sparkContext.getConf().contains("spark.sql.shuffle.partitions"):
        # A batch's grains are few: one aggregation partition per core, not Spark's default 200.
        spark.conf.set("spark.sql.shuffle.partitions", str(spark.sparkContext.defaultParallelism))
    return spark


class JvmSignalHandler:
    """Receives SIGTERM/SIGINT in the driver JVM. Under spark-submit the signal goes to the JVM,
    whose default handling would stop Spark mid-batch; this handler only asks the loop to stop."""

    def __init__(self, stop):
        self.stop = stop

    def handle(self, signal_object):
        log.info("received SIG%s: finishing the batch under way", signal_object.getName())
        self.stop.set()

    class Java:
        implements = ["sun.misc.SignalHandler"]


def install_signal_handlers(spark, stop):
    """SIGTERM and SIGINT, to the Python driver or to its JVM, let the batch under way finish."""
    def on_signal(number, _frame):
        log.info("received %s: finishing the batch under way", signal.Signals(number).name)
        stop.set()

    for number in (signal.SIGTERM, signal.SIGINT):
        signal.signal(number, on_signal)
    try:
        from pyspark.java_gateway import ensure_callback_server_started

        gateway = spark.sparkContext._gateway
        ensure_callback_server_started(gateway)
        jvm = spark._jvm
        handler = JvmSignalHandler(stop)
        for name in ("TERM", "INT"):
            jvm.sun.misc.Signal.handle(jvm.sun.misc.Signal(name), handler)
    except Exception as error:  # without it, a signal to the JVM stops Spark at once (still exactly-once)
        log.warning("cannot take over the JVM's SIGTERM handling (%s); signal the Python driver instead", error)


def run(settings, target):
    statements = load_statements(settings.sql_dir)
    spark = start_spark()
    try:
        with tempfile.TemporaryDirectory(prefix="jobpulse-spark-") as directory:
            ship_package(spark, directory)
            run_with(spark, settings, target, statements)
    finally:
        spark.stop()


def run_with(spark, settings, target, statements):
    stop = threading.Event()
    install_signal_handlers(spark, stop)
    lake = open_lake(spark, settings.lake)
    try:
        warehouse = MySQLWarehouse(spark.sparkContext._gateway, target, statements)
        try:
            run_pipeline(Pipeline(lake, warehouse, settings, default_owner(), CrashPoint.from_environment(), stop))
        finally:
            warehouse.reset()
    finally:
        lake.close()


def run_pipeline(pipeline):
    settings = pipeline.settings
    log.info("Spark ETL starting: lake=%s warehouse=%s owner=%s batch_size=%d %s",
             settings.lake, settings.warehouse, pipeline.owner, settings.batch_size,
             "once" if settings.once else f"interval={settings.interval}s")
    if settings.once:
        done = pipeline.run_until_caught_up()
        log.info("caught up at position %s: %d batches, %d events = %d funnel + %d other, %d grain updates",
                 done.position or "(unchanged)", done.batches, done.events, done.funnel, done.other, done.grains)
    else:
        pipeline.run_forever()
        log.info("stopped")


def main(argv):
    configure_logging()
    try:
        settings = settings_from(argv)
        target = jdbc_target(settings.warehouse)
    except ConfigurationError as error:
        log.error("%s", error)
        return 2
    try:
        run(settings, target)
    except DriverMissing as error:
        log.error("%s: %s", error, JARS_HINT)
        return 1
    except (LakeError, WarehouseError) as error:
        log.error("%s", error)
        return 1
    except Exception as error:  # a failed batch rolled back: nothing of it remains in the warehouse
        log.error("ETL failed: %s", error)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
