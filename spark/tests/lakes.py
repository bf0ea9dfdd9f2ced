"""Lakes for the tests, built by the `jobpulse` binary as any lake is: generated traffic and
hand-written rows at the edges of the aggregation, each written as a tracking CSV and admitted by
`jobpulse import` (which types every event with the rules and sends a row with an unreadable ts
to the quarantine). The events import cannot write, as a lake written by other means may hold
them (no event time because the ts was unreadable, values no release writes), are inserted as
typed rows.

A TestLake keeps every event it put into the lake, typed, with its position, for the ground truth
(reference.py), and after each import checks that the lake holds exactly the imported rows,
position by position, typed as the reference rules type them: so the ground truth is about the
lake's events and nothing else."""

import csv
import re
import sqlite3
import time
from contextlib import closing
from pathlib import Path

import reference
from jobpulse_cli import jobpulse

# The tracking export's columns, in order (TrackingField.swift).
TRACKING_FIELDS = (
    "create_time", "bid", "bn", "campaign_id", "cd", "custom_track", "de", "dl", "dt", "ed", "ev", "group_id", "id",
    "job_id", "md", "publisher_id", "rl", "sr", "ts", "tz", "ua", "uid", "utm_campaign", "utm_content", "utm_medium",
    "utm_source", "utm_term", "v", "vp",
)
TYPED_COLUMNS = ("kind", "job_id", "publisher_id", "campaign_id", "group_id", "bid_micros", "event_time")
TS = "2022-07-18 07:05:11.130"


def _event(kind, job="60", bid="1", ts=TS, **fields):
    return dict({"custom_track": kind, "job_id": job, "bid": bid, "ts": ts}, **fields)


# Rows at the edges of what the aggregation does with the typed values. (The edges of the rules
# themselves are the Swift tests'.)
EDGE_ROWS = [
    # every kind in one grain, by the column or by ed.customEvent; only a click's bid is spend
    _event("click", bid="1.25"),
    _event("conversion", bid="5"),
    _event("qualified", bid="5"),
    _event("unqualified", bid="5"),
    _event("", bid="0.75", ed='{"customEvent":"click"}'),
    _event("", bid="5", ed='{"customEvent":"unqualified"}'),
    # other kinds: counted, in no grain
    _event("alive", bid="3"),
    _event("Click", bid="3"),
    _event("", bid="3"),
    # ids: unattributed (0) is a grain like any other; the largest ids; ids found in ed
    _event("click", job="", bid="2"),
    _event("click", job="2147483647", bid="2", publisher_id="2147483647", campaign_id="2147483647",
           group_id="2147483647"),
    _event("click", job="", bid="2", ed='{"jobId":"61","publisherId":3,"campaignId":"5","groupId":"6"}'),
    # bids in millionths, summed exactly (truncated past the sixth decimal, 0 when unreadable)
    *(_event("click", job="80", bid=bid) for bid in (
        "12", "0.35", ".5", "1.1234567", "0.0000009", "-1", "", "999999999999.999999")),
    # event times: hour, day and year boundaries, offsets that change the UTC hour or date, epoch
    # seconds and milliseconds, the first hour of 1970
    *(_event("click", job="90", ts=ts) for ts in (
        "2022-07-18 06:59:59.999", "2022-07-18 07:00:00", "2022-07-18T08:05:11.5+02:00", "2022-07-18T23:30:00-05:00",
        "2022-12-31T23:59:59.999Z", "2023-01-01T00:00:00+00:00", "2024-02-29 23:59:59", "1658127911",
        "1658127911130", "1970-01-01T01:30:00+01:00")),
    # unreadable ts: refused by import, into the quarantine; never in the lake
    _event("click", job="90", ts="yesterday"),
    _event("conversion", job="90", ts=""),
]


def edge_rows():
    """EDGE_ROWS and the newest usable event of all, of no funnel kind, half an hour ahead (within
    the admission's tolerance of an hour)."""
    ahead_ms = int(time.time() * 1000) + 30 * 60 * 1000
    return EDGE_ROWS + [_event("alive", job="91", ts=str(ahead_ms))]


def unusable_events():
    """Typed events that import cannot write, as a lake written by other means may hold them:
    other and unusable whatever their kind, their event time (two hours ahead, newer than any
    other) never the newest."""
    ahead_ms = int(time.time() * 1000) + 2 * 3_600_000
    return [
        reference.TypedEvent(1, 5, 0, 0, 0, 1_250_000, None),  # a click whose ts was unreadable
        reference.TypedEvent(0, 5, 0, 0, 0, 1_000_000, None),  # another kind whose ts was unreadable
        reference.TypedEvent(7, 5, 0, 0, 0, 1_000_000, ahead_ms),  # a kind code no release writes
        reference.TypedEvent(1, 2_147_483_648, 0, 0, 0, 1_000_000, ahead_ms),  # an id past 32 bits
    ]


def write_csv(path, rows):
    """A tracking CSV with a header: the rows' fields, the others empty."""
    with open(path, "w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file, lineterminator="\r\n")
        writer.writerow(TRACKING_FIELDS)
        writer.writerows([row.get(name) or "" for name in TRACKING_FIELDS] for row in rows)


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as file:
        return list(csv.DictReader(file))


class TestLake:
    """A data folder for the binary's files, a lake, and the events in it by position. A lake of a
    kind says how the binary is pointed at it (`storage`), which typed rows it holds after a
    position, in position order (`typed_rows`), how positions are ordered (`order`), and inserts
    typed events behind the binary's back (`insert`)."""

    __test__ = False  # not a pytest test class

    def __init__(self, data_dir):
        self.data = Path(data_dir)
        self.jobs_csv = self.data / "jobs.csv"
        self.events = []  # (position, reference.TypedEvent) of every event, in position order
        self._files = 0
        self.data.mkdir(parents=True, exist_ok=True)

    def _next_csv(self, name):
        self._files += 1
        return self.data / f"{name}-{self._files}.csv"

    def generate(self, count, seed, jobs=True):
        """Generated traffic (`jobpulse generate --csv`, with the job dimension as jobs.csv),
        imported."""
        path = self._next_csv("generated")
        arguments = ["generate", "--count", str(count), "--seed", str(seed), "--data-dir", str(self.data),
                     "--csv", str(path)]
        arguments += ["--jobs-csv", str(self.jobs_csv)] if jobs else ["--no-jobs"]
        jobpulse(*arguments)
        self.import_rows(read_csv(path), path)

    def add_edge_cases(self):
        """The edge rows, imported, then the unusable events, inserted."""
        self.import_rows(edge_rows())
        for event in self.unusable_events():
            self.insert(event)

    def unusable_events(self):
        return unusable_events()

    def import_rows(self, rows, path=None):
        """`jobpulse import` of the rows (written to a CSV unless `path` holds them already)."""
        if path is None:
            path = self._next_csv("rows")
            write_csv(path, rows)
        known = {position for position, _ in self.events}
        result = jobpulse("import", *self.storage, str(path))
        counts = re.search(r"received ([\d,]+) / accepted ([\d,]+) / rejected ([\d,]+)", result.stdout)
        assert counts, f"no counts in the output of jobpulse import:\n{result.stdout}"
        received, accepted, rejected = (int(text.replace(",", "")) for text in counts.groups())
        admitted = [row for row in rows if reference.event_ms(row.get("ts")) is not None]
        assert (received, accepted, rejected) == (len(rows), len(admitted), len(rows) - len(admitted)), (
            f"import counted {received} / {accepted} / {rejected}; expected {len(rows)} rows, {len(admitted)} with a "
            f"readable ts")
        stored = [row for row in self.typed_rows() if row[0] not in known]
        assert len(stored) == len(admitted), f"{len(stored)} new events in the lake, {len(admitted)} imported"
        for (position, *values), row in zip(stored, admitted):
            event = reference.typed(row)
            assert tuple(values) == event.astuple(), (
                f"position {position}: the lake holds {dict(zip(TYPED_COLUMNS, values))}; the reference rules type "
                f"{row} as {event}")
            self.record(position, event)

    def record(self, position, event):
        """Adds an event the lake holds at `position` to the list, which stays in position order."""
        self.events.append((position, event))
        if len(self.events) > 1 and self.order(self.events[-2][0]) > self.order(position):
            self.events.sort(key=lambda pair: self.order(pair[0]))

    def last_known_position(self):
        return self.events[-1][0] if self.events else None

    def last_position(self):
        """The lake's last position (None while it is empty); the lake holds no event that this
        object did not put in."""
        rows = self.typed_rows()
        last = rows[-1][0] if rows else None
        assert last == self.last_known_position(), f"the lake ends at position {last}, not {self.last_known_position()}"
        return last

    def events_up_to(self, position=None):
        """The (position, typed event) pairs up to a position (all without one)."""
        return [(at, event) for at, event in self.events if position is None or self.order(at) <= self.order(position)]


class SQLiteTestLake(TestLake):
    """The data folder's lake.db."""

    kind = "sqlite"

    def __init__(self, data_dir):
        super().__init__(data_dir)
        self.path = self.data / "lake.db"
        self.url = f"sqlite://{self.path}"
        self.storage = ("--data-dir", str(self.data))

    @staticmethod
    def order(position):
        return int(position)

    def insert(self, event):
        """A typed event inserted straight into `tracking` (a reference.TypedEvent)."""
        before = self.last_position()
        columns = ", ".join(TYPED_COLUMNS)
        with closing(sqlite3.connect(self.path)) as connection, connection:
            position = connection.execute(
                f"INSERT INTO tracking ({columns}) VALUES (?, ?, ?, ?, ?, ?, ?)", event.astuple()).lastrowid
        assert position > (before or 0)
        self.record(position, event)

    def typed_rows(self):
        """(position, typed values) of every event, in position order."""
        if not self.path.exists():
            return []
        with closing(sqlite3.connect(self.path)) as connection:
            return connection.execute(
                f"SELECT position, {', '.join(TYPED_COLUMNS)} FROM tracking ORDER BY position").fetchall()

    def identity(self):
        with closing(sqlite3.connect(self.path)) as connection:
            return connection.execute("SELECT value FROM lake_meta WHERE name = 'identity'").fetchone()[0]
