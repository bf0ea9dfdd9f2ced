"""The ground truth, with neither Spark nor Swift: the normalization rules of the design written
plainly in Python, which type one raw tracking row (as a CSV holds it) at a time, and the
aggregation of typed events. The tests hold the typed values the lake stored at admission, and
the engines' warehouses, to it."""

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

METRICS = ("clicks", "conversion", "qualified_application", "disqualified_application", "spend_micros")
# The lake's kind codes (lake layout 2); any other kind is 0.
KIND_CODE = {"click": 1, "conversion": 2, "qualified": 3, "unqualified": 4}
CODE_METRIC = {1: "clicks", 2: "conversion", 3: "qualified_application", 4: "disqualified_application"}
MAX_MS = 253_402_300_799_999
EPOCH_SECONDS_BELOW = 100_000_000_000  # an integer epoch below this is in seconds
ED_MAX_BYTES = 16 * 1024  # a longer `ed` is absent
JSON_MAX_DEPTH = 32  # the object itself is level 1
EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


class JSONSyntaxError(Exception):
    pass


class StrictJSON:
    """A JSON reader that accepts what Sources/Core/FlatJSON.swift accepts (numbers may have
    leading zeros) and gives the top-level members: strings decoded, numbers as their text,
    other values as the marker OTHER."""

    OTHER = object()
    NUMBER = re.compile(r"-?[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?")
    ESCAPES = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}

    def __init__(self, text):
        self.text = text
        self.index = 0
        self.depth = 0

    @classmethod
    def members(cls, text):
        """First value of each name of the object `text` holds, or {} when it is not one (or is
        longer than ED_MAX_BYTES, or nested deeper than JSON_MAX_DEPTH)."""
        if len(text.encode("utf-8", "surrogatepass")) > ED_MAX_BYTES:
            return {}
        reader = cls(text)
        try:
            reader.space()
            pairs = reader.object()
            reader.space()
            if reader.index != len(text):
                raise JSONSyntaxError("text after the object")
        except (JSONSyntaxError, IndexError):
            return {}
        first = {}
        for name, value in pairs:
            first.setdefault(name, value)
        return first

    def peek(self):
        return self.text[self.index] if self.index < len(self.text) else ""

    def space(self):
        while self.peek() and self.peek() in " \t\n\r":
            self.index += 1

    def expect(self, character):
        if self.peek() != character:
            raise JSONSyntaxError(f"expected {character}")
        self.index += 1

    def enter(self):
        self.depth += 1
        if self.depth > JSON_MAX_DEPTH:
            raise JSONSyntaxError("nesting too deep")

    def object(self):
        self.expect("{")
        self.enter()
        pairs = []
        self.space()
        if self.peek() == "}":
            self.index += 1
            self.depth -= 1
            return pairs
        while True:
            self.space()
            name = self.string()
            self.space()
            self.expect(":")
            self.space()
            pairs.append((name, self.value()))
            self.space()
            if self.peek() == ",":
                self.index += 1
                continue
            self.expect("}")
            self.depth -= 1
            return pairs

    def array(self):
        self.expect("[")
        self.enter()
        self.space()
        if self.peek() == "]":
            self.index += 1
            self.depth -= 1
            return
        while True:
            self.space()
            self.value()
            self.space()
            if self.peek() == ",":
                self.index += 1
                continue
            self.expect("]")
            self.depth -= 1
            return

    def value(self):
        character = self.peek()
        if character == '"':
            return self.string()
        if character == "{":
            self.object()
            return self.OTHER
        if character == "[":
            self.array()
            return self.OTHER
        for word in ("true", "false", "null"):
            if self.text.startswith(word, self.index):
                self.index += len(word)
                return self.OTHER
        match = self.NUMBER.match(self.text, self.index)
        if not match:
            raise JSONSyntaxError("unexpected character")
        self.index = match.end()
        return ("number", match.group())

    def string(self):
        self.expect('"')
        out = []
        while True:
            character = self.text[self.index]
            self.index += 1
            if character == '"':
                return "".join(out)
            if ord(character) < 32:
                raise JSONSyntaxError("control character")
            if character != "\\":
                out.append(character)
                continue
            escaped = self.text[self.index]
            self.index += 1
            if escaped in self.ESCAPES:
                out.append(self.ESCAPES[escaped])
            elif escaped == "u":
                digits = self.text[self.index:self.index + 4]
                if not re.fullmatch(r"[0-9A-Fa-f]{4}", digits):
                    raise JSONSyntaxError("bad \\u escape")
                self.index += 4
                out.append(chr(int(digits, 16)))
            else:
                raise JSONSyntaxError("bad escape")


def integer_id(text):
    if isinstance(text, str) and re.fullmatch(r"[0-9]{1,10}", text, re.ASCII) and int(text) <= 2_147_483_647:
        return int(text)
    return None


def member_text(value):
    """A member's text for the id rules: a string's contents or a number's literal."""
    if isinstance(value, str):
        return value
    if isinstance(value, tuple):
        return value[1]
    return None


def bid_micros(text):
    text = text or ""
    match = re.fullmatch(r"([0-9]*)(?:\.([0-9]*))?", text, re.ASCII)
    if not match or not re.search("[0-9]", text) or len(match.group(1)) > 12:
        return 0
    whole = int(match.group(1) or "0")
    fraction = ((match.group(2) or "")[:6]).ljust(6, "0")
    return whole * 1_000_000 + int(fraction)


def event_ms(text):
    if not text:
        return None
    if re.fullmatch(r"[0-9]+", text, re.ASCII):
        millis = int(text) if len(text) <= 15 else None
        if millis is not None and millis < EPOCH_SECONDS_BELOW:
            millis *= 1000
    else:
        millis = _date_time_ms(text)
    return millis if millis is not None and 0 <= millis <= MAX_MS else None


def _date_time_ms(text):
    match = re.fullmatch(
        r"([0-9]{4})-([0-9]{2})-([0-9]{2})([ T])([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\.([0-9]{1,9}))?"
        r"(Z|[+-][0-9]{2}:?[0-9]{2})?", text, re.ASCII)
    if not match:
        return None
    year, month, day, separator, hour, minute, second, fraction, zone = match.groups()
    if (separator == " ") != (zone is None):
        return None
    try:
        moment = datetime(int(year), int(month), int(day), int(hour), int(minute), int(second), tzinfo=timezone.utc)
    except ValueError:
        return None
    if int(year) < 1970:
        return None
    offset = 0
    if zone and zone != "Z":
        hours, minutes = int(zone[1:3]), int(zone[-2:])
        if hours >= 24 or minutes >= 60:
            return None
        offset = (1 if zone[0] == "+" else -1) * (hours * 3600 + minutes * 60)
    seconds = (moment - EPOCH) // timedelta(seconds=1) - offset
    return seconds * 1000 + int((fraction or "")[:3].ljust(3, "0"))


@dataclass(frozen=True)
class TypedEvent:
    """An event as the lake stores it (lake layout 2)."""

    kind: int
    job_id: int
    publisher_id: int
    campaign_id: int
    group_id: int
    bid_micros: int
    event_time: int | None

    def astuple(self):
        return (self.kind, self.job_id, self.publisher_id, self.campaign_id, self.group_id, self.bid_micros,
                self.event_time)

    @property
    def usable(self):
        """An event time, and only values a release writes (kind 0 to 4, ids of 32 bits)."""
        return (self.event_time is not None and 0 <= self.kind <= 4
                and all(-2**31 <= value < 2**31 for value in (self.job_id, self.publisher_id, self.campaign_id,
                                                                  self.group_id)))


def typed(row):
    """A raw row (a dict of tracking fields; a missing field is empty) typed by the rules."""
    details = StrictJSON.members(row.get("ed")) if row.get("ed") else {}
    custom_event = details.get("customEvent")
    kind = row.get("custom_track") or (custom_event if isinstance(custom_event, str) else None)

    def identifier(column, name):
        found = integer_id(row.get(column))
        if found is None:
            found = integer_id(member_text(details.get(name)))
        return found or 0

    return TypedEvent(
        kind=KIND_CODE.get(kind, 0),
        job_id=identifier("job_id", "jobId"), publisher_id=identifier("publisher_id", "publisherId"),
        campaign_id=identifier("campaign_id", "campaignId"), group_id=identifier("group_id", "groupId"),
        bid_micros=bid_micros(row.get("bid")), event_time=event_ms(row.get("ts")),
    )


@dataclass
class Expected:
    """The warehouse a lake should give: `events` rows by grain, and the event counts."""

    rows: dict
    funnel: int
    other: int
    unusable: int
    last_unusable_position: int | str | None
    newest_event_ms: int | None
    source: str  # the lake's kind, the warehouse's `sources` and `etl_state.source`


def expected_warehouse(events, companies, source="sqlite"):
    """Aggregates a lake's events from scratch: `events` are (position, TypedEvent) pairs in
    position order, from a lake of kind `source`. An unusable event is other, and has no event
    time; a usable one of kind 1 to 4 adds to its grain."""
    metrics = defaultdict(lambda: dict.fromkeys(METRICS, 0))
    funnel = other = unusable = 0
    newest = last_unusable = None
    for position, event in events:
        if not event.usable:
            unusable += 1
            last_unusable = position
            other += 1
            continue
        newest = max(newest or 0, event.event_time)
        if event.kind == 0:
            other += 1
            continue
        funnel += 1
        moment = EPOCH + timedelta(milliseconds=event.event_time)
        grain = (event.job_id, moment.date().isoformat(), moment.hour,
                 event.publisher_id, event.campaign_id, event.group_id)
        counts = metrics[grain]
        counts[CODE_METRIC[event.kind]] += 1
        if event.kind == KIND_CODE["click"]:
            counts["spend_micros"] += event.bid_micros
    result = {}
    for grain, counts in metrics.items():
        spend = counts["spend_micros"] / 1_000_000
        result[grain] = dict(counts, company_id=companies.get(grain[0]), spend_hour=spend,
                             bid_set=spend / counts["clicks"] if counts["clicks"] else 0.0, sources=source)
    return Expected(rows=result, funnel=funnel, other=other, unusable=unusable,
                    last_unusable_position=last_unusable, newest_event_ms=newest, source=source)
