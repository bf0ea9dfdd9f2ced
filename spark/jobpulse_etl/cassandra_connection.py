"""Connecting to the Cassandra lake with the DataStax Python driver (PyPI `cassandra-driver`), the
way the Swift lake connects (Sources/Lake/Cassandra/CassandraLakeConfiguration.swift): the same
URL and options, the listed nodes only, protocol v4, one consistency for every query.

The settings travel to the executors inside the reader Spark pickles for them; the password is
never part of a message or of the URL's text (`cassandra://user:***@…`).
"""

import ssl
from dataclasses import dataclass, field

from .config import ConfigurationError

# Options of a cassandra:// URL (every one the Swift lake knows; the writers' ones are accepted
# and ignored here, so that one URL serves every process).
OPTIONS = ("replication", "consistency", "ssl", "ssl_ca", "ssl_verify", "bucket_seconds", "safety_lag_seconds",
           "page_size", "count_limit", "key_window_seconds", "claim_lease_seconds", "claim_takeover_seconds")
CONSISTENCIES = ("ONE", "TWO", "THREE", "QUORUM", "ALL", "LOCAL_QUORUM", "EACH_QUORUM", "LOCAL_ONE")
DEFAULT_PORT = 9042
# How long a query may wait for a node before the driver gives up on it (the Swift client's 12 s).
REQUEST_TIMEOUT_S = 12.0
CONNECT_TIMEOUT_S = 10.0


@dataclass(frozen=True)
class CassandraSettings:
    """What a cassandra:// lake URL says, validated; `text` is the URL without its password."""

    text: str
    hosts: tuple  # (name, port)
    keyspace: str
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    consistency: str = "LOCAL_QUORUM"
    ssl: bool = False
    ssl_ca: str | None = None
    ssl_verify: str = "full"
    # None: the lake's own size, from lake_meta.
    bucket_seconds: int | None = None
    safety_lag_ms: int = 5_000
    page_size: int = 5_000
    count_limit: int = 100_000

    @classmethod
    def from_url(cls, url):
        """Settings of a StorageURL whose scheme is cassandra, or ConfigurationError."""
        text = str(url)
        if not url.hosts:
            raise ConfigurationError(f"{text}: no host; give one or more as host1:9042,host2:9042")
        keyspace = url.path.lower()
        if not (keyspace[:1].isascii() and keyspace[:1].isalpha() and len(keyspace) <= 48
                and all(c.isascii() and (c.isalnum() or c == "_") for c in keyspace)):
            raise ConfigurationError(f"{text}: the path must name the keyspace: a letter, then letters, digits or _, "
                                     "at most 48 in all")
        query = url.query
        unknown = sorted(name for name in query if name not in OPTIONS)
        if unknown:
            raise ConfigurationError(f"{text}: unknown option {unknown[0]} (known: {', '.join(OPTIONS)})")
        consistency = query.get("consistency", "LOCAL_QUORUM").upper()
        if consistency not in CONSISTENCIES:
            raise ConfigurationError(f"{text}: consistency {query['consistency']}: expected one of "
                                     f"{', '.join(sorted(CONSISTENCIES))}")
        use_ssl = query.get("ssl", "disabled")
        if use_ssl not in ("disabled", "required"):
            raise ConfigurationError(f"{text}: ssl {use_ssl}: expected disabled or required")
        if use_ssl == "disabled" and ("ssl_ca" in query or "ssl_verify" in query):
            raise ConfigurationError(f"{text}: ssl_ca and ssl_verify need ssl=required")
        verify = query.get("ssl_verify", "full")
        if verify not in ("full", "ca", "none"):
            raise ConfigurationError(f"{text}: ssl_verify {verify}: expected full, ca or none")
        return cls(
            text=text, hosts=tuple((name, port or DEFAULT_PORT) for name, port in url.hosts), keyspace=keyspace,
            user=url.user, password=url.password, consistency=consistency, ssl=use_ssl == "required",
            ssl_ca=query.get("ssl_ca") or None, ssl_verify=verify,
            bucket_seconds=_integer(text, query, "bucket_seconds", None, 1, 86_400),
            safety_lag_ms=_milliseconds(text, query, "safety_lag_seconds", 5_000),
            page_size=_integer(text, query, "page_size", 5_000, 1, 2_147_483_647),
            count_limit=_integer(text, query, "count_limit", 100_000, 1, 2**63 - 1),
        )

    def connect(self):
        """A driver Cluster and a Session on the lake's nodes; the caller shuts the Cluster down."""
        from cassandra import ConsistencyLevel
        from cassandra.auth import PlainTextAuthProvider
        from cassandra.cluster import EXEC_PROFILE_DEFAULT, Cluster, ExecutionProfile
        from cassandra.policies import WhiteListRoundRobinPolicy
        from cassandra.query import tuple_factory

        profile = ExecutionProfile(
            # Only the listed nodes, as the Swift lake does: list the local datacenter's.
            load_balancing_policy=WhiteListRoundRobinPolicy([name for name, _ in self.hosts]),
            consistency_level=ConsistencyLevel.name_to_value[self.consistency],
            request_timeout=REQUEST_TIMEOUT_S, row_factory=tuple_factory,
        )
        cluster = Cluster(
            contact_points=list(self.hosts), protocol_version=4, connect_timeout=CONNECT_TIMEOUT_S,
            # Every query names its partition; the driver needs neither the schema nor the ring.
            schema_metadata_enabled=False, token_metadata_enabled=False,
            execution_profiles={EXEC_PROFILE_DEFAULT: profile},
            auth_provider=None if self.user is None else PlainTextAuthProvider(self.user, self.password or ""),
            ssl_context=self._ssl_context(),
        )
        try:
            return cluster, cluster.connect()
        except BaseException:
            cluster.shutdown()
            raise

    def _ssl_context(self):
        if not self.ssl:
            return None
        context = ssl.create_default_context(cafile=self.ssl_ca)
        if self.ssl_verify != "full":
            context.check_hostname = False
        if self.ssl_verify == "none":
            context.verify_mode = ssl.CERT_NONE
        return context


def _integer(text, query, name, default, lowest, highest):
    value = query.get(name)
    if value is None:
        return default
    if not value.isdigit() or not lowest <= int(value) <= highest:
        raise ConfigurationError(f"{text}: {name} {value}: expected an integer from {lowest} to {highest}")
    return int(value)


def _milliseconds(text, query, name, default):
    value = query.get(name)
    if value is None:
        return default
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1.0
    if not 0 <= seconds <= 86_400:
        raise ConfigurationError(f"{text}: {name} {value}: expected a number of seconds from 0 to 86400")
    return round(seconds * 1000)
