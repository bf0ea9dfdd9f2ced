"""A private MariaDB server for the tests: its own data directory, socket and free TCP port, a
user `jp` with access to the databases the tests create, stopped and removed at the end."""

import os
import shutil
import signal
import socket
import subprocess
import time

USER = "jp"
PASSWORD = "jp pass@/%"  # characters that a URL must percent-encode
START_TIMEOUT_S = 30


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class PrivateMariaDB:
    def __init__(self, directory):
        self.directory = directory
        self.data = os.path.join(directory, "data")
        self.tmp = os.path.join(directory, "tmp")
        self.socket = os.path.join(directory, "sock")
        self.port = free_port()
        self.process = None

    def start(self):
        os.makedirs(self.tmp, exist_ok=True)
        subprocess.run(
            ["mariadb-install-db", "--user=root", f"--datadir={self.data}", "--auth-root-authentication-method=normal",
             "--skip-test-db", f"--tmpdir={self.tmp}"],
            check=True, capture_output=True,
        )
        self.process = subprocess.Popen(
            ["mariadbd", "--no-defaults", "--user=root", f"--datadir={self.data}", f"--socket={self.socket}",
             f"--port={self.port}", "--bind-address=127.0.0.1", f"--pid-file={self.directory}/pid",
             f"--log-error={self.directory}/err", f"--tmpdir={self.tmp}",
             "--character-set-server=utf8mb4", "--collation-server=utf8mb4_general_ci"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + START_TIMEOUT_S
        while subprocess.run(["mariadb-admin", "--no-defaults", f"--socket={self.socket}", "-uroot", "ping"],
                             capture_output=True).returncode != 0:
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"MariaDB did not start; see {self.directory}/err")
            time.sleep(0.2)
        self.sql(f"CREATE USER '{USER}'@'127.0.0.1' IDENTIFIED BY '{PASSWORD}';"
                 f"CREATE USER '{USER}'@'localhost' IDENTIFIED BY '{PASSWORD}';")

    def stop(self):
        if self.process is not None:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(timeout=60)
            self.process = None
        shutil.rmtree(self.directory, ignore_errors=True)

    def sql(self, statements, database=None):
        """Runs statements as root; returns the output rows as lists of strings (tab-separated)."""
        command = ["mariadb", "--no-defaults", f"--socket={self.socket}", "-uroot", "--batch", "--skip-column-names"]
        if database:
            command.append(database)
        result = subprocess.run(command, input=statements, check=True, capture_output=True, text=True)
        return [line.split("\t") for line in result.stdout.splitlines()]

    def create_database(self, name):
        """A new empty database that `jp` may use; returns its mysql:// URL."""
        self.sql(f"CREATE DATABASE {name};"
                 f"GRANT ALL ON {name}.* TO '{USER}'@'127.0.0.1'; GRANT ALL ON {name}.* TO '{USER}'@'localhost';")
        return self.url(name)

    def url(self, database):
        from urllib.parse import quote
        return f"mysql://{USER}:{quote(PASSWORD, safe='')}@127.0.0.1:{self.port}/{database}"
