"""Positions in the Cassandra lake, without I/O: the arithmetic of
Sources/Lake/Cassandra/{TimeUUID,BucketLayout,CassandraLakePosition}.swift, so that the Spark
engine reads exactly the events the Swift engine reads and writes positions either can resume from.

A position is a bucket (epoch seconds of the partition's start, a multiple of the lake's bucket
size) and a version 1 UUID; its token reads `<bucket>:<uuid>`. Cassandra orders a `timeuuid` by its
60-bit timestamp, then by its last eight bytes compared one by one as *signed* bytes, and so does
every comparison here (`TimeUUID.key`). A read takes only events whose `ingest_id` time is at most
`now - safety lag`: the cutoff, past which a write may still be in flight (docs/cassandra.md).
"""

import uuid
from dataclasses import dataclass

# 100 ns intervals between 1582-10-15 (the UUID epoch) and 1970-01-01.
INTERVALS_BEFORE_UNIX_EPOCH = 122_192_928_000_000_000
INTERVALS_PER_MILLISECOND = 10_000
INTERVALS_PER_SECOND = 10_000_000
_TIMESTAMP_MASK = 0x0FFF_FFFF_FFFF_FFFF


class PositionError(ValueError):
    """A token that no Cassandra lake of this bucket size writes."""


@dataclass(frozen=True, order=False)
class TimeUUID:
    """A version 1 UUID, compared as Cassandra compares a `timeuuid` clustering column."""

    value: uuid.UUID

    @classmethod
    def parse(cls, text):
        try:
            value = uuid.UUID(text)
        except ValueError:
            raise PositionError(f'"{text}" is not a UUID') from None
        # The version nibble alone, as Cassandra checks it: the bounds of a walk have tails whose
        # variant bits are not RFC 4122's (uuid.UUID.version is None for them).
        if value.bytes[6] >> 4 != 1:
            raise PositionError(f"{value} is not a time-based (version 1) UUID")
        return cls(value)

    @classmethod
    def _at(cls, timestamp, tail_byte):
        time = max(timestamp, 0) & _TIMESTAMP_MASK
        tail = bytes([tail_byte]) * 8
        head = (time & 0xFFFF_FFFF).to_bytes(4, "big") + ((time >> 32) & 0xFFFF).to_bytes(2, "big") \
            + (((time >> 48) & 0x0FFF) | 0x1000).to_bytes(2, "big")
        return cls(uuid.UUID(bytes=head + tail))

    @classmethod
    def highest(cls, timestamp):
        """The greatest `timeuuid` at `timestamp` (100 ns intervals since 1582): every tail byte 127."""
        return cls._at(timestamp, 0x7F)

    @classmethod
    def lowest(cls, timestamp):
        """The smallest `timeuuid` at `timestamp`: every tail byte -128."""
        return cls._at(timestamp, 0x80)

    @property
    def timestamp(self):
        """100 ns intervals since 1582-10-15."""
        return self.value.time

    @property
    def unix_intervals(self):
        return self.timestamp - INTERVALS_BEFORE_UNIX_EPOCH

    @property
    def key(self):
        """What orders it: the timestamp, then the tail as signed bytes."""
        return self.timestamp, tuple(byte - 256 if byte > 127 else byte for byte in self.value.bytes[8:])

    def __lt__(self, other):
        return self.key < other.key

    def __le__(self, other):
        return self.key <= other.key

    def __str__(self):
        return str(self.value)


@dataclass(frozen=True)
class Position:
    """A place in the lake's order: events of `bucket` after `after`, then every later bucket."""

    bucket: int
    after: TimeUUID

    @classmethod
    def parse(cls, token):
        bucket, separator, text = (token or "").partition(":")
        if not separator or not bucket.lstrip("-").isdigit():
            raise PositionError(f'position "{token}" was not written by a cassandra lake')
        return cls(int(bucket), TimeUUID.parse(text))

    @property
    def token(self):
        return f"{self.bucket}:{self.after}"

    def precedes(self, other):
        return (self.bucket, self.after.key) < (other.bucket, other.after.key)

    def __str__(self):
        return self.token


def position_order(bucket, value):
    """The sort key of the position (`bucket`, `value`, a uuid.UUID) as text of fixed width: the
    bucket (offset so that it is never negative), the timestamp, then each tail byte shifted by 128
    so that Cassandra's signed comparison becomes the text's."""
    return f"{bucket + (1 << 62):016x}{value.time:015x}" + "".join(f"{byte ^ 0x80:02x}" for byte in value.bytes[8:])


@dataclass(frozen=True)
class BucketRange:
    """One query's worth of a walk: the events of `bucket` with `after < ingest_id <= up_to`."""

    bucket: int
    after: TimeUUID
    up_to: TimeUUID

    @property
    def end(self):
        return Position(self.bucket, self.up_to)


@dataclass(frozen=True)
class BucketLayout:
    bucket_seconds: int
    safety_lag_ms: int

    def bucket_of_seconds(self, seconds):
        return seconds // self.bucket_seconds * self.bucket_seconds

    def bucket_of(self, time_uuid):
        return self.bucket_of_seconds(time_uuid.unix_intervals // INTERVALS_PER_SECOND)

    def cutoff(self, now_ms):
        """The greatest `ingest_id` a read at `now_ms` (epoch milliseconds) may take."""
        return TimeUUID.highest((now_ms - self.safety_lag_ms) * INTERVALS_PER_MILLISECOND + INTERVALS_BEFORE_UNIX_EPOCH)

    def start_of(self, bucket):
        """The position before every event of `bucket`."""
        return Position(bucket, TimeUUID.highest(bucket * INTERVALS_PER_SECOND - 1 + INTERVALS_BEFORE_UNIX_EPOCH))

    def last_id_in(self, bucket):
        return TimeUUID.highest((bucket + self.bucket_seconds) * INTERVALS_PER_SECOND - 1 + INTERVALS_BEFORE_UNIX_EPOCH)

    def validate(self, position):
        if position.bucket % self.bucket_seconds != 0:
            raise PositionError(f'position "{position}": bucket {position.bucket} is not a multiple of this lake\'s '
                                f"{self.bucket_seconds}-second buckets")

    def walk(self, position, cutoff):
        """The ranges to query, in order, for the events after `position` up to `cutoff`: what is
        left of the position's bucket, then every later bucket up to the cutoff's."""
        last_bucket = self.bucket_of(cutoff)
        start = position
        while start.bucket <= last_bucket:
            up_to = min(self.last_id_in(start.bucket), cutoff, key=lambda value: value.key)
            if start.after < up_to:
                yield BucketRange(start.bucket, start.after, up_to)
            start = self.start_of(start.bucket + self.bucket_seconds)
