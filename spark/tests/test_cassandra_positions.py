"""The Spark engine's Cassandra position arithmetic, without a server or Spark, on the cases
Tests/LakeTests/CassandraPositionTests.swift checks in the Swift lake; and how a batch's
ranges become read partitions and rows."""

import random
import uuid

import pytest

from jobpulse_etl.cassandra_lake import _packed
from jobpulse_etl.cassandra_positions import (INTERVALS_BEFORE_UNIX_EPOCH, BucketLayout, Position, PositionError,
                                              TimeUUID, position_order)
from jobpulse_etl.cassandra_source import typed_row

T0 = 1_764_410_400_000  # 2025-11-29T10:00:00Z, on a minute
LAYOUT = BucketLayout(bucket_seconds=60, safety_lag_ms=5_000)


def at(timestamp, tail):
    """A version 1 UUID with this timestamp (100 ns since 1582) and these eight tail bytes."""
    head = TimeUUID.lowest(timestamp).value.bytes[:8]
    return TimeUUID(uuid.UUID(bytes=head + bytes(tail)))


def event_id(unix_ms, plus=0, tail=0x9A):
    return at(unix_ms * 10_000 + INTERVALS_BEFORE_UNIX_EPOCH + plus, [0x80 | tail >> 2, tail, 1, 2, 3, 4, 5, tail])


def test_timeuuids_order_by_time_then_by_signed_tail_bytes():
    early, late = at(0x0000_0001_FFFF_FFFF, [0x80] + [0] * 7), at(0x0000_0002_0000_0000, [0x80] + [0] * 7)
    assert early < late and str(early) > str(late)
    assert at(1_000, [0x80] + [0] * 7) < at(1_000, [0x7F] + [0] * 7)
    assert at(1_000, [0x90, 0xFF] + [0] * 6) < at(1_000, [0x90, 0x00] + [0] * 6)


def test_bounds_bracket_every_id_of_an_instant():
    time = T0 * 10_000 + INTERVALS_BEFORE_UNIX_EPOCH
    for tail in (0x00, 0x3F, 0x7F, 0x80, 0xBF, 0xFF):
        value = at(time, [tail] * 7 + [(tail + 1) % 256])
        assert TimeUUID.lowest(time) <= value <= TimeUUID.highest(time)
    assert TimeUUID.highest(time - 1) < TimeUUID.lowest(time)
    assert TimeUUID.lowest(time).value.version == 1


def test_the_order_text_sorts_as_cassandra_orders():
    generator = random.Random(5)
    positions = []
    for _ in range(3_000):
        time = T0 * 10_000 + INTERVALS_BEFORE_UNIX_EPOCH + generator.randrange(-3, 4) * 600_000_000
        value = at(time + generator.randrange(3), [generator.randrange(256) for _ in range(8)])
        positions.append((LAYOUT.bucket_of(value), value))
    by_key = sorted(positions, key=lambda p: (p[0], p[1].key))
    by_text = sorted(positions, key=lambda p: position_order(p[0], p[1].value))
    assert by_key == by_text


def test_buckets_floor_ingest_time_and_the_cutoff_is_now_minus_the_lag():
    bucket = T0 // 1000
    assert LAYOUT.bucket_of(event_id(T0 + 59_999, plus=9_999)) == bucket
    assert LAYOUT.bucket_of(event_id(T0 + 60_000)) == bucket + 60
    assert BucketLayout(3_600, 0).bucket_of_seconds(bucket + 1_799) == 1_764_410_400
    cutoff = LAYOUT.cutoff(T0 + 20_000)
    assert event_id(T0 + 15_000, tail=0xFF) <= cutoff
    assert cutoff < event_id(T0 + 15_000, plus=1)


def test_a_walk_goes_from_the_positions_bucket_to_the_cutoffs_bucket():
    bucket = T0 // 1000
    position = Position(bucket, event_id(T0 + 30_000))
    cutoff = LAYOUT.cutoff(T0 + 3 * 60_000 + 20_000)
    ranges = list(LAYOUT.walk(position, cutoff))
    assert [r.bucket for r in ranges] == [bucket, bucket + 60, bucket + 120, bucket + 180]
    assert ranges[0].after == position.after and ranges[0].up_to == LAYOUT.last_id_in(bucket)
    assert ranges[1].after < event_id(bucket * 1000 + 60_000, tail=0x80)
    assert ranges[3].up_to == cutoff
    assert all(r.after < r.up_to for r in ranges)


def test_a_walk_never_looks_before_the_position_nor_past_the_cutoff():
    bucket = T0 // 1000
    cutoff = LAYOUT.cutoff(T0 + 20_000)
    assert list(LAYOUT.walk(Position(bucket, event_id(T0 + 17_000)), cutoff)) == []
    assert list(LAYOUT.walk(Position(bucket + 60, event_id(T0 + 61_000)), cutoff)) == []
    end_of_bucket = Position(bucket - 60, LAYOUT.last_id_in(bucket - 60))
    assert [r.bucket for r in LAYOUT.walk(end_of_bucket, cutoff)] == [bucket]


def test_tokens_round_trip_and_foreign_ones_are_refused():
    position = Position(T0 // 1000, event_id(T0 + 1))
    assert Position.parse(position.token) == position
    assert position.token == f"1764410400:{position.after.value}"
    for token in ("12345", "abc:def", f"60:{uuid.uuid4()}", None):
        with pytest.raises(PositionError):
            Position.parse(token)
    with pytest.raises(PositionError):
        LAYOUT.validate(Position(T0 // 1000 + 1, event_id(T0)))


def test_ranges_are_packed_into_partitions_of_about_equal_events_never_split():
    ranges = [(60 * n, "a", "b", size) for n, size in enumerate((10, 10, 10, 70, 5, 5))]
    assert [[r[3] for r in group] for group in _packed(ranges, 110, 2)] == [[10, 10, 10], [70], [5, 5]]
    assert [[r[3] for r in group] for group in _packed(ranges, 110, 1)] == [[10, 10, 10, 70, 5, 5]]
    assert sum(len(group) for group in _packed(ranges, 110, 8)) == len(ranges)


def test_rows_without_typed_values_reach_the_aggregation_unusable():
    ingest_id = event_id(T0).value
    position, order, *values = typed_row(T0 // 1000, ingest_id, (1, 60, 2, 3, 4, 1_250_000, T0))
    assert position == f"{T0 // 1000}:{ingest_id}" and order == position_order(T0 // 1000, ingest_id)
    assert values == [1, 60, 2, 3, 4, 1_250_000, T0]
    for cells in ((None, 60, 2, 3, 4, 1_250_000, T0), (1, 60, 2, 3, 4, 1_250_000, None), (7, 60, 2, 3, 4, 0, T0)):
        assert typed_row(T0 // 1000, ingest_id, cells)[2:] == (0, 0, 0, 0, 0, 0, None)


def test_the_bounds_of_a_walk_parse_back():
    """Bounds have tails of 0x7F, outside RFC 4122's variant; they travel as text to the executors."""
    for value in (TimeUUID.highest(T0 * 10_000), TimeUUID.lowest(T0 * 10_000), LAYOUT.last_id_in(T0 // 1000)):
        assert TimeUUID.parse(str(value)) == value
