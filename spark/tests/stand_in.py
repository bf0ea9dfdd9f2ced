"""The Cassandra stand-in node (`cassandra-stand-in`, a test-support executable of the Swift
package) as a process: it prints its port, and stops when its standard input closes."""

import os
import re
import subprocess
from pathlib import Path

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
