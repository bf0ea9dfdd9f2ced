"""The MySQL/MariaDB warehouse, through JDBC on the driver: the single-writer lease, the job
dimension's company ids, and the exactly-once commit.

The commit statements are the repository's own SQL files (Sources/Warehouse/SQL/<name>.mysql.sql,
or <name>.sql where the dialects agree), read at start-up and run with their parameters bound by
the names the files give them, so that the Swift engine and this one merge and move the position
in exactly the same way.
"""

import time
from dataclasses import dataclass
from itertools import groupby

from .config import ConfigurationError
from .jdbc import JdbcConnection

MARIADB_DRIVER = "org.mariadb.jdbc.Driver"
STATEMENT_NAMES = ("create-state", "take-lease", "merge-events", "advance-position", "release-lease")
COMPANY_LOOKUP_CHUNK = 500
# Grains per full merge statement: MergeRows.perStatement in Sources/Warehouse/MergeRows.swift.
MERGE_ROWS_PER_STATEMENT = 1024
MERGE_ROW_MARKER = "VALUES ("
# The URL's `ssl=` modes in MariaDB Connector/J 2.7 properties. Connector/J 2.7 has no
# opportunistic TLS, so `preferred` (the default) connects without TLS.
SSL_PROPERTIES = {
    "disabled": {"useSsl": "false"},
    "preferred": {},
    "required": {"useSsl": "true", "trustServerCertificate": "true"},
}
TIMEOUT_PARAMETERS = ("connect_timeout", "read_timeout", "write_timeout")


class WarehouseError(Exception):
    """The warehouse refused a step of the protocol."""


class LeaseHeld(WarehouseError):
    """Another ETL holds an unexpired lease on the lake."""

    def __init__(self, source, owner, expires_at_ms):
        super().__init__(f"the lease on {source} is held by {owner} until {sql_timestamp(expires_at_ms)} UTC")
        self.owner = owner
        self.expires_at_ms = expires_at_ms


class LeaseLost(WarehouseError):
    """The lease passed to another ETL before the batch could commit."""

    def __init__(self, source, owner):
        super().__init__(f"{owner} no longer holds the lease on {source}; the batch was rolled back")


class PositionMoved(WarehouseError):
    """The committed position is no longer the one the batch was read after."""

    def __init__(self, source, expected, found):
        super().__init__(f"the position of {source} moved from {expected} to {found} during the batch; "
                         f"the batch was rolled back")


class LakeMismatch(WarehouseError):
    """The warehouse was filled from another lake: continuing would mix two histories."""

    def __init__(self, source, recorded, offered):
        super().__init__(f"the warehouse's {source} position belongs to lake {recorded}, not to {offered}")


def now_ms():
    return time.time_ns() // 1_000_000


def sql_timestamp(millis):
    """`YYYY-MM-DD HH:MM:SS.fff` UTC, as Timestamp.sql writes it."""
    seconds, milliseconds = divmod(millis, 1000)
    return time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(seconds)) + f".{milliseconds:03d}"


def merge_plan(grains):
    """The row counts of the statements that merge `grains` grains, in order: full statements,
    then the remainder as powers of two, largest first (MergeRows.plan in the Swift engine)."""
    sizes = [MERGE_ROWS_PER_STATEMENT] * (grains // MERGE_ROWS_PER_STATEMENT)
    rest = grains % MERGE_ROWS_PER_STATEMENT
    size = MERGE_ROWS_PER_STATEMENT // 2
    while rest:
        if rest >= size:
            sizes.append(size)
            rest -= size
        size //= 2
    return sizes


def expand_rows(statement, rows):
    """The merge statement for `rows` grains: its line that starts with `VALUES (` holds one
    grain's row, repeated `rows` times, separated by `, ` (MergeRows.expand in the Swift engine,
    documented in merge-events.mysql.sql)."""
    lines = statement.split("\n")
    index = next((i for i, line in enumerate(lines) if line.startswith(MERGE_ROW_MARKER)), None)
    if index is None:
        raise WarehouseError("the merge statement has no line starting with `VALUES (`")
    row = lines[index][len("VALUES "):]
    lines[index] = "VALUES " + ", ".join([row] * rows)
    return "\n".join(lines)


@dataclass(frozen=True)
class Statement:
    """A commit statement as both engines run it: its text with `?` markers, and the names of its
    parameters in marker order (empty for `merge-events`, whose markers are positional)."""

    name: str
    text: str
    parameter_names: tuple

    @classmethod
    def parse(cls, name, source):
        """`:name` becomes `?`, except in `--` comments and quoted literals: as
        Sources/Warehouse/WarehouseSQL.swift reads the same files."""
        text, names, index = [], [], 0
        while index < len(source):
            character = source[index]
            if source.startswith("--", index):
                end = source.find("\n", index)
                end = len(source) if end < 0 else end
            elif character in "'\"":
                end = source.find(character, index + 1)
                end = len(source) if end < 0 else end + 1
            elif character == ":" and index + 1 < len(source) and (source[index + 1].isalpha() or source[index + 1] == "_"):
                end = index + 1
                while end < len(source) and (source[end].isalnum() or source[end] == "_"):
                    end += 1
                names.append(source[index + 1:end])
                text.append("?")
                index = end
                continue
            else:
                end = index + 1
            text.append(source[index:end])
            index = end
        return cls(name, "".join(text), tuple(names))

    def arguments(self, **values):
        """The values for the markers, in order; WarehouseError when a name has none."""
        missing = [name for name in self.parameter_names if name not in values]
        if missing:
            raise WarehouseError(f"the statement {self.name} names the parameter :{missing[0]}, which was given no value")
        return tuple(values[name] for name in self.parameter_names)


def load_statements(sql_dir):
    """Each commit statement: `<name>.mysql.sql` in `sql_dir`, or `<name>.sql` where every dialect
    runs the same text."""
    statements = {}
    for name in STATEMENT_NAMES:
        paths = [sql_dir / f"{name}.mysql.sql", sql_dir / f"{name}.sql"]
        path = next((candidate for candidate in paths if candidate.is_file()), paths[0])
        try:
            statements[name] = Statement.parse(name, path.read_text(encoding="utf-8"))
        except OSError as error:
            raise WarehouseError(f"cannot read the commit statement {path}: {error.strerror}") from error
    return statements


@dataclass(frozen=True)
class State:
    """The lake's `etl_state` row, as far as the protocol needs it."""

    position: str | None
    lake_identity: str
    lease_owner: str | None
    lease_expires_at: int | None


@dataclass(frozen=True)
class BatchCommit:
    """What one batch writes: its deltas (grain -> (metrics, company id)) and its accounting."""

    source: str
    owner: str
    start: str | None
    end: str
    deltas: dict
    funnel: int
    other: int
    newest_event_ms: int | None
    elapsed_ms: int
    # Events without an event time (counted in `other` too), and the position token of the last.
    unusable: int = 0
    last_unusable: str | None = None

    @property
    def events(self):
        return self.funnel + self.other


@dataclass(frozen=True)
class JdbcTarget:
    """Where and how to connect: `jdbc:mysql://host:port/db` (with the MariaDB driver) and the
    connection properties, credentials included (never logged)."""

    url: str
    properties: dict


def jdbc_target(url):
    """The JDBC target of a `mysql://user:password@host:3306/db[?ssl=…]` URL, with the URL
    parameters the Swift binary accepts (`ssl`, `ssl_ca`, and the timeouts in whole seconds);
    raises ConfigurationError for anything else."""
    if url.scheme not in ("mysql", "mariadb"):
        raise ConfigurationError(f"unsupported warehouse {url} (mysql://user:password@host:3306/db)")
    if not url.path:
        raise ConfigurationError(f"the warehouse URL names no database: {url}")
    unknown = set(url.query) - {"ssl", "ssl_ca", *TIMEOUT_PARAMETERS}
    if unknown:
        raise ConfigurationError(f"unknown warehouse URL parameter(s) {', '.join(sorted(unknown))}: {url}")
    mode = url.query.get("ssl", "preferred")
    if mode not in SSL_PROPERTIES:
        raise ConfigurationError(f"ssl={mode} is not disabled, preferred or required: {url}")
    properties = {"user": url.user or "", "password": url.password or "", **SSL_PROPERTIES[mode]}
    if "ssl_ca" in url.query:
        if mode == "disabled":
            raise ConfigurationError(f"ssl_ca needs TLS, not ssl=disabled: {url}")
        properties.update(useSsl="true", trustServerCertificate="false", serverSslCert=url.query["ssl_ca"])
    seconds = {}
    for name in TIMEOUT_PARAMETERS:
        if name in url.query:
            if not url.query[name].isdigit():
                raise ConfigurationError(f"{name} must be whole seconds: {url}")
            seconds[name] = int(url.query[name])
    if "connect_timeout" in seconds:
        properties["connectTimeout"] = str(seconds["connect_timeout"] * 1000)
    io_timeouts = [seconds[name] for name in ("read_timeout", "write_timeout") if name in seconds]
    if io_timeouts:
        properties["socketTimeout"] = str(max(io_timeouts) * 1000)
    return JdbcTarget(url=f"jdbc:mysql://{url.host or 'localhost'}:{url.port or 3306}/{url.path}", properties=properties)


class MySQLWarehouse:
    def __init__(self, gateway, target, statements):
        self.gateway = gateway
        self.target = target
        self.statements = statements
        self.connection = None

    def _connected(self):
        if self.connection is None:
            self.connection = JdbcConnection(self.gateway, MARIADB_DRIVER, self.target.url, self.target.properties)
        return self.connection

    def reset(self):
        """Drops the connection (after a failure); the next call opens a new one."""
        if self.connection is not None:
            self.connection.close()
            self.connection = None

    def state(self, source):
        rows = self._connected().query(
            "SELECT position, lake_identity, lease_owner, lease_expires_at FROM etl_state WHERE source = ?", (source,))
        return State(*rows[0]) if rows else None

    def acquire_lease(self, source, lake_identity, owner, ttl_ms):
        """Takes or renews the lease in one transaction and returns the state it holds.
        Raises LeaseHeld while another owner holds it, LakeMismatch for another lake's warehouse."""
        connection = self._connected()
        with connection.transaction():
            now = now_ms()
            create = self.statements["create-state"]
            connection.execute(create.text, create.arguments(source=source, now=sql_timestamp(now), lake_identity=lake_identity))
            current = self.state(source)
            if current is None:
                raise LeaseLost(source, owner)
            if current.lake_identity != lake_identity:
                raise LakeMismatch(source, current.lake_identity, lake_identity)
            take = self.statements["take-lease"]
            connection.execute(take.text, take.arguments(owner=owner, expires_at=now + ttl_ms, source=source, now=now))
            updated = self.state(source)
            if updated is None or updated.lease_owner != owner:
                raise LeaseHeld(source, current.lease_owner or "?", current.lease_expires_at or now)
            return updated

    def release_lease(self, source, owner):
        release = self.statements["release-lease"]
        self._connected().execute(release.text, release.arguments(source=source, owner=owner))

    def company_ids(self, job_ids):
        """The company of each of `job_ids` that the job dimension knows."""
        companies = {}
        ids = sorted(job_ids)
        for start in range(0, len(ids), COMPANY_LOOKUP_CHUNK):
            chunk = ids[start:start + COMPANY_LOOKUP_CHUNK]
            marks = ", ".join("?" * len(chunk))
            rows = self._connected().query(
                f"SELECT job_id, company_id FROM job WHERE company_id IS NOT NULL AND job_id IN ({marks})", chunk)
            companies.update((int(job), int(company)) for job, company in rows)
        return companies

    def commit(self, batch, checkpoint):
        """Adds the deltas and moves the position in one transaction; `checkpoint` is called
        inside it after the merges and after the position update."""
        connection = self._connected()
        with connection.transaction():
            now = sql_timestamp(now_ms())
            self._merge(connection, [
                _merge_parameters(grain, metrics, company, batch.source, now)
                for grain, (metrics, company) in sorted(batch.deltas.items(), key=lambda item: item[0].sort_key())
            ])
            checkpoint("deltas-merged")
            advance = self.statements["advance-position"]
            changed = connection.execute(advance.text, advance.arguments(
                position=batch.end, now=now, events=batch.events, funnel=batch.funnel, other=batch.other,
                unusable=batch.unusable, last_unusable=batch.last_unusable, grains=len(batch.deltas),
                milliseconds=batch.elapsed_ms, newest_event_ms=batch.newest_event_ms, source=batch.source,
                owner=batch.owner, start=batch.start,
            ))
            if changed != 1:
                current = self.state(batch.source)
                if current is None or current.lease_owner != batch.owner:
                    raise LeaseLost(batch.source, batch.owner)
                raise PositionMoved(batch.source, batch.start, current.position)
            checkpoint("position-written")

    def _merge(self, connection, rows):
        """Runs merge-events for every row, many rows per statement (see merge_plan); the
        statements of one size go as one JDBC batch."""
        merged = 0
        for size, statements in groupby(merge_plan(len(rows))):
            parameters = []
            for _ in statements:
                parameters.append([value for row in rows[merged:merged + size] for value in row])
                merged += size
            connection.execute_batch(expand_rows(self.statements["merge-events"].text, size), parameters)


def _merge_parameters(grain, metrics, company_id, source, now):
    """merge-events.mysql.sql's parameters, in its order."""
    return (
        grain.job_id, grain.date, grain.hour, grain.publisher_id, grain.campaign_id, grain.group_id,
        grain.hour_start, company_id, metrics.clicks, metrics.conversions, metrics.qualified,
        metrics.unqualified, metrics.spend_micros, metrics.spend, metrics.average_bid, source, now,
    )
