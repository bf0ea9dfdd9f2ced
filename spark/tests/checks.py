"""Assertions shared by the tests: a warehouse against the ground truth, and waiting for the
engine to reach a position."""

import math
import time

from reference import METRICS

POLL_S = 0.5


def assert_matches_ground_truth(view, expected):
    """`events` holds exactly the expected grains, each with the expected values, and etl_state
    accounts for exactly the expected events (the unusable ones too)."""
    rows = view.events()
    assert set(rows) == set(expected.rows), (
        f"grains only in the warehouse: {sorted(set(rows) - set(expected.rows))[:5]}; "
        f"only expected: {sorted(set(expected.rows) - set(rows))[:5]}")
    for grain, want in expected.rows.items():
        got = rows[grain]
        for column in METRICS + ("company_id", "sources"):
            assert got[column] == want[column], f"{grain}: {column} is {got[column]}, expected {want[column]}"
        for column in ("spend_hour", "bid_set"):
            assert math.isclose(got[column], want[column], rel_tol=1e-12, abs_tol=1e-12), (
                f"{grain}: {column} is {got[column]}, expected {want[column]}")
        assert got["hour_start"].startswith(f"{grain[1]} {grain[2]:02d}:00:00"), f"{grain}: hour_start {got['hour_start']}"
    state = view.state(expected.source)
    assert (int(state["funnel_total"]), int(state["other_total"])) == (expected.funnel, expected.other)
    assert int(state["events_total"]) == expected.funnel + expected.other
    assert int(state["unusable_total"]) == expected.unusable
    assert state["last_unusable_position"] == (
        None if expected.last_unusable_position is None else str(expected.last_unusable_position))
    assert state["newest_event_ms"] == (None if expected.newest_event_ms is None else str(expected.newest_event_ms))


def wait_until(condition, timeout_s, what):
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, f"timed out after {timeout_s} s waiting for {what}"
        time.sleep(POLL_S)


def committed_position(view, source="sqlite"):
    """The position etl_state holds for the lake of kind `source` (an int for SQLite, the token
    for Cassandra), None before the first commit."""
    state = view.state(source)
    if state is None or state["position"] is None:
        return None
    return int(state["position"]) if source == "sqlite" else state["position"]
