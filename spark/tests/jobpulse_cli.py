"""The already built `jobpulse` binary, as the tests use it: generating lakes, creating the
warehouse schema, loading jobs, and running the Swift engine for comparison."""

import os
import re
import shutil
import subprocess
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[2]
BUILT_BINARY = Path(os.environ.get("JOBPULSE_BINARY", REPOSITORY / ".build" / "debug" / "jobpulse"))
TIMEOUT_S = 300
# The binary the helpers run: a snapshot of the built one (see snapshot_binary).
binary = BUILT_BINARY


class CommandFailed(Exception):
    def __init__(self, arguments, result):
        super().__init__(f"jobpulse {' '.join(arguments[:1])} exited {result.returncode}:\n{result.stdout}\n{result.stderr}")
        self.result = result


def jobpulse(*arguments, check=True, env=None):
    """Runs the binary; returns the completed process (raises CommandFailed unless it succeeded)."""
    result = subprocess.run([str(binary), *arguments], capture_output=True, text=True, timeout=TIMEOUT_S, env=env)
    if check and result.returncode != 0:
        raise CommandFailed(list(arguments), result)
    return result


def binary_present():
    return BUILT_BINARY.is_file() and os.access(BUILT_BINARY, os.X_OK)


def snapshot_binary(directory):
    """Copies the built binary and its resource bundles into `directory` and runs that copy from
    then on, so that a rebuild during the session cannot change the binary under the tests."""
    global binary
    directory.mkdir(parents=True, exist_ok=True)
    for bundle in BUILT_BINARY.parent.glob("*.resources"):
        shutil.copytree(bundle, directory / bundle.name, dirs_exist_ok=True)
    binary = Path(shutil.copy2(BUILT_BINARY, directory / BUILT_BINARY.name))
    return binary


def supports_mysql(probe_url, scratch_dir):
    """Whether this build of the binary opens MySQL/MariaDB warehouses (`migrate` on a scratch
    database tells; a build without the backend refuses the URL)."""
    result = jobpulse("migrate", "--data-dir", scratch_dir, "--warehouse", probe_url, check=False)
    if result.returncode == 0:
        return True
    if re.search("unsupported warehouse|without MySQL", result.stderr + result.stdout):
        return False
    raise CommandFailed(["migrate"], result)


def migrate(warehouse_url, data_dir):
    jobpulse("migrate", "--data-dir", data_dir, "--warehouse", warehouse_url)


def import_jobs(warehouse_url, data_dir, jobs_csv):
    jobpulse("import-jobs", "--data-dir", data_dir, "--warehouse", warehouse_url, jobs_csv)


def swift_etl(data_dir, warehouse_url, batch_size):
    """The Swift engine on the SQLite lake of `data_dir`, run until caught up."""
    return swift_etl_on(("--data-dir", data_dir), warehouse_url, batch_size)


def swift_etl_on(storage, warehouse_url, batch_size, background=False, stdout=None):
    """The Swift engine on the lake that the arguments `storage` name: run until caught up, or in
    the background (`jobpulse etl`, its output to `stdout`) until it is sent SIGTERM."""
    arguments = ["etl", *storage, "--warehouse", warehouse_url, "--batch-size", str(batch_size)]
    if background:
        return subprocess.Popen([str(binary), *arguments], stdout=stdout, stderr=subprocess.STDOUT, start_new_session=True)
    return jobpulse(*arguments, "--once")
