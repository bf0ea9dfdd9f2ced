"""The Cassandra stand-in node (`cassandra-stand-in`, a test-support executable of the Swift
package) as a process: it prints its port, and stops when its standard input closes. And the
DataStax Python driver's connection to it."""

import os
import re
import subprocess
from pathlib import Path

from cassandra.cluster import EXEC_PROFILE_DEFAULT, Cluster, ExecutionProfile
from cassandra.policies import RoundRobinPolicy

REPOSITORY = Path(__file__).resolve().parents[2]
BUILT_NODE = Path(os.environ.get("JOBPULSE_STAND_IN", REPOSITORY / ".build" / "debug" / "cassandra-stand-in"))


class StandInNode:
    def __init__(self, user=None, password=None):
        arguments = [str(BUILT_NODE)] + (["--user", user, "--password", password] if user else [])
        self.process = subprocess.Popen(arguments, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        line = self.process.stdout.readline()
        match = re.search(r"listening on 127\.0\.0\.1:(\d+)", line)
        if not match:
            self.stop()
            raise RuntimeError(f"cassandra-stand-in did not start: {line!r}")
        self.port = int(match.group(1))

    def stop(self):
        """Closes the node's standard input and waits for it to exit; returns its exit status."""
        self.process.stdin.close()
        return self.process.wait(timeout=30)


def cluster_of(port, auth=None):
    """One node, no schema or token metadata (the stand-in answers the driver's connection queries
    on system.local and system.peers, not the whole schema)."""
    return Cluster(["127.0.0.1"], port=port, protocol_version=4, schema_metadata_enabled=False, token_metadata_enabled=False,
                   execution_profiles={EXEC_PROFILE_DEFAULT: ExecutionProfile(load_balancing_policy=RoundRobinPolicy())},
                   auth_provider=auth)


def connect(port, auth=None):
    cluster = cluster_of(port, auth)
    return cluster, cluster.connect()
