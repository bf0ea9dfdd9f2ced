"""What the Spark engine is told: its arguments, the storage URLs, and the crash-injection hook.

Arguments mirror `jobpulse etl`: `--lake` and `--warehouse` fall back to the environment
variables JOBPULSE_LAKE and JOBPULSE_WAREHOUSE. URLs are read exactly as the Swift binary reads
them (percent-decoded credentials and database), and are only ever shown with the password
replaced by `***`.
"""

import argparse
import os
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

BATCH_STEPS = ("read", "aggregated", "enriched", "deltas-merged", "position-written", "committed")
CRASH_EXIT_CODE = 86
DEFAULT_SQL_DIR = Path(__file__).resolve().parent.parent.parent / "Sources" / "Warehouse" / "SQL"


class ConfigurationError(Exception):
    """A setting is missing or malformed; the message says which and why."""


@dataclass(frozen=True)
class StorageURL:
    """`sqlite:///path`, `mysql://user:pass@host:3306/db`, `cassandra://user:pass@host:9042/keyspace`."""

    scheme: str
    path: str
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    # Every server named, as (name, port or None): `host1:9042,host2:9042`.
    hosts: tuple = ()
    query: dict = field(default_factory=dict)

    @property
    def host(self):
        """The first server's name (an IPv6 address in brackets)."""
        if not self.hosts:
            return None
        name = self.hosts[0][0]
        return f"[{name}]" if ":" in name else name

    @property
    def port(self):
        """The first server's port."""
        return self.hosts[0][1] if self.hosts else None

    def __str__(self):
        if self.scheme == "sqlite":
            return f"sqlite://{self.path}"
        text = f"{self.scheme}://"
        if self.user is not None:
            text += self.user + (":***" if self.password is not None else "") + "@"
        text += ",".join(_host_text(name, port) for name, port in self.hosts)
        if self.path:
            text += "/" + self.path
        if self.query:
            text += "?" + "&".join(f"{name}={self.query[name]}" for name in sorted(self.query))
        return text


def parse_storage_url(text):
    """Reads a storage URL the way the Swift binary does, or raises ConfigurationError."""
    scheme, separator, rest = text.partition("://")
    if not separator or not scheme:
        raise ConfigurationError(f'"{_masked(text)}" is not a storage URL (sqlite:///path, mysql://…, cassandra://…)')
    scheme = scheme.lower()
    rest, _, query_text = rest.partition("?")
    query = {}
    for pair in filter(None, query_text.split("&")):
        name, _, value = pair.partition("=")
        query[unquote(name)] = unquote(value)
    if scheme == "sqlite":
        if not rest:
            raise ConfigurationError("a sqlite URL needs a path: sqlite:///path/to/lake.db")
        return StorageURL(scheme=scheme, path=unquote(rest), query=query)
    authority, _, path = rest.partition("/")
    user = password = None
    credentials, at, servers = authority.rpartition("@")
    if at:
        name, colon, secret = credentials.partition(":")
        user = unquote(name)
        password = unquote(secret) if colon else None
    hosts = tuple(_host(entry, text) for entry in servers.split(",")) if servers else ()
    return StorageURL(scheme=scheme, path=unquote(path), user=user, password=password, hosts=hosts, query=query)


def _host(entry, text):
    """`name`, `name:port`, `[v6]` or `[v6]:port` as (name, port or None)."""
    name, port = entry, None
    colon = entry.rfind(":")
    if colon >= 0 and not entry.endswith("]") and (not entry.startswith("[") or entry[:colon].endswith("]")):
        port_text = entry[colon + 1:]
        if not port_text.isdigit() or not 1 <= int(port_text) <= 65535:
            raise ConfigurationError(f'"{_masked(text)}" has an invalid port')
        name, port = entry[:colon], int(port_text)
    if name.startswith("["):
        if not name.endswith("]") or len(name) <= 2:
            raise ConfigurationError(f'"{_masked(text)}" has an invalid IPv6 host')
        name = name[1:-1]
    if not name:
        raise ConfigurationError(f'"{_masked(text)}" names an empty host')
    return name, port


def _host_text(name, port):
    shown = f"[{name}]" if ":" in name else name
    return shown if port is None else f"{shown}:{port}"


def _masked(text):
    """A URL as text with anything between `://` and the last `@` hidden."""
    head, separator, rest = text.partition("://")
    if separator and "@" in rest:
        return f"{head}://***@{rest.rpartition('@')[2]}"
    return text


@dataclass(frozen=True)
class Settings:
    """Everything the run needs, validated."""

    lake: StorageURL
    warehouse: StorageURL
    sql_dir: Path
    once: bool
    interval: float
    batch_size: int
    lease_ttl: float


def _positive(kind):
    def convert(text):
        value = kind(text)
        if value <= 0:
            raise argparse.ArgumentTypeError("must be positive")
        return value
    return convert


def argument_parser():
    parser = argparse.ArgumentParser(
        prog="jobpulse_spark.py",
        description="JobPulse's exactly-once CDC ETL on Apache Spark: reads the lake's new events, "
                    "aggregates them into hourly funnel metrics per grain and commits the deltas and "
                    "the new position in one warehouse transaction.",
    )
    parser.add_argument("--lake", help="raw event lake URL, e.g. sqlite:///var/lib/jobpulse/lake.db (env JOBPULSE_LAKE)")
    parser.add_argument("--warehouse", help="warehouse URL, mysql://user:password@host:3306/db (env JOBPULSE_WAREHOUSE)")
    parser.add_argument("--sql-dir", type=Path, default=DEFAULT_SQL_DIR,
                        help="folder of the commit statements <name>.mysql.sql or <name>.sql (default: the repository's Sources/Warehouse/SQL)")
    parser.add_argument("--once", action="store_true", help="run batches until caught up, then exit")
    parser.add_argument("--interval", type=_positive(float), default=1.0, help="seconds between polls once caught up (default 1)")
    parser.add_argument("--batch-size", type=_positive(int), default=1_000_000, help="most events per batch (default 1,000,000)")
    parser.add_argument("--lease-ttl", type=_positive(float), default=15.0,
                        help="seconds the single-writer lease lasts without renewal (default 15)")
    return parser


def settings_from(argv, environment=os.environ):
    """Parses the command line, with the environment's defaults; raises ConfigurationError."""
    arguments = argument_parser().parse_args(argv)
    lake_text = arguments.lake or environment.get("JOBPULSE_LAKE")
    warehouse_text = arguments.warehouse or environment.get("JOBPULSE_WAREHOUSE")
    if not lake_text:
        raise ConfigurationError("no lake: give --lake URL or set JOBPULSE_LAKE")
    if not warehouse_text:
        raise ConfigurationError("no warehouse: give --warehouse URL or set JOBPULSE_WAREHOUSE")
    lake = parse_storage_url(lake_text)
    if lake.scheme == "cassandra":
        from .cassandra_connection import CassandraSettings

        CassandraSettings.from_url(lake)  # its options, checked before Spark starts
    return Settings(
        lake=lake, warehouse=parse_storage_url(warehouse_text),
        sql_dir=arguments.sql_dir, once=arguments.once, interval=arguments.interval,
        batch_size=arguments.batch_size, lease_ttl=arguments.lease_ttl,
    )


class CrashPoint:
    """A test hook: JOBPULSE_CRASH_AT=<step>:<N> ends the process abruptly (exit 86, no cleanup,
    like a kill) at that step of its N-th batch, counting the batches that read something."""

    def __init__(self, spec):
        parts = (spec or "").split(":")
        self.step = parts[0] if parts[0] in BATCH_STEPS else None
        self.batch = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 1
        self.batches_read = 0

    @classmethod
    def from_environment(cls, environment=os.environ):
        return cls(environment.get("JOBPULSE_CRASH_AT"))

    def __call__(self, step):
        if step == "read":
            self.batches_read += 1
        if step == self.step and self.batches_read == self.batch:
            os._exit(CRASH_EXIT_CODE)
