"""Running the Spark engine as the Swift launcher runs it: spark-submit in local mode with the two
JDBC drivers, in a temp folder of the tests' own."""

import os
import signal
import subprocess
from pathlib import Path

SPARK_DIR = Path(__file__).resolve().parents[1]
JOB = SPARK_DIR / "jobpulse_spark.py"
LOG_CONFIG = SPARK_DIR / "conf" / "log4j2.properties"
JARS = ("/usr/share/java/sqlite-jdbc.jar", "/usr/share/java/mariadb-java-client.jar")
RUN_TIMEOUT_S = 300
CRASH_EXIT_CODE = 86


def spark_environment(work_dir):
    """The environment that keeps Spark's and Java's files under `work_dir`."""
    work_dir = str(work_dir)
    os.makedirs(work_dir, exist_ok=True)
    return {
        "SPARK_LOCAL_DIRS": work_dir,
        "TMPDIR": work_dir,
        "JAVA_TOOL_OPTIONS": f"-Djava.io.tmpdir={work_dir} -XX:-UsePerfData",
        "SPARK_LOCAL_IP": "127.0.0.1",
    }


def command(*arguments):
    return [
        "spark-submit", "--master", "local[2]", "--jars", ",".join(JARS),
        "--driver-java-options", f"-Dlog4j2.configurationFile=file:{LOG_CONFIG}",
        str(JOB), *arguments,
    ]


class SparkJob:
    """The engine for one lake and one warehouse."""

    def __init__(self, environment, lake_url, warehouse_url):
        self.environment = environment
        self.arguments = ["--lake", lake_url, "--warehouse", warehouse_url]

    def _env(self, crash_at):
        env = dict(os.environ, **self.environment)
        env.pop("JOBPULSE_CRASH_AT", None)
        if crash_at:
            env["JOBPULSE_CRASH_AT"] = crash_at
        return env

    def run_once(self, *options, crash_at=None):
        """`--once` to the end (or to the injected crash); returns the completed process."""
        return subprocess.run(command(*self.arguments, "--once", *options), env=self._env(crash_at),
                              capture_output=True, text=True, timeout=RUN_TIMEOUT_S)

    def start(self, *options, stdout, stderr):
        """The engine in the background, its output going to the two open files, in a process
        group of its own (see kill_tree)."""
        return subprocess.Popen(command(*self.arguments, *options), env=self._env(None), stdout=stdout, stderr=stderr,
                                start_new_session=True)


def kill_tree(process):
    """Kills a background process that is still running, with its process group: spark-submit's
    JVM and the Python driver it started, which would otherwise outlive it."""
    if process.poll() is None:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.wait(timeout=30)


def describe(result):
    """A failed run's output, for assertion messages."""
    return f"exit {result.returncode}\n--- stdout\n{result.stdout}\n--- stderr (tail)\n{result.stderr[-4000:]}"
