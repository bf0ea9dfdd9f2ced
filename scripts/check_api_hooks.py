"""Schemathesis hooks for scripts/check-api.sh (loaded through SCHEMATHESIS_HOOKS).

A schema cannot say everything the server checks, so these hooks help the generator make
valid requests where openapi.yaml can only describe them in words:

- `format: event-time` (ts, from, to): real dates and times, in every form the server reads,
  in the past (the pixel refuses a ts too far in the future), and sometimes empty (= absent);
- `application/x-ndjson` bodies: lines of events, other JSON values, junk and blank lines;
- `before_call`, before every request: `from` and `to` swapped when both are readable and
  `from` is later; a `redirect` of the documented shape moved to the allowed host that
  check-api.sh gives the server (CHECK_API_REDIRECT_HOST); a well-formed `Idempotency-Key`
  made unique (a key reused with another body is a documented 422, not a valid request);
  `/api/advice` given exactly one of `campaign_id` and `job_id` when it has none or two
  valid ones; a budget's `amount`, when a number in range, rounded to the 6 decimals the
  server keeps, and its `starts_on` and `ends_on` swapped when both are days and the end is
  earlier. Values that break the schema are left as generated, so invalid requests stay
  invalid.

It also adds one check, `configured_credentials_enforced` (see below).
"""

import json
import os
import re
import uuid
from collections.abc import MutableMapping
from datetime import datetime, timedelta, timezone

import schemathesis
from hypothesis import strategies as st

REDIRECT_HOST = os.environ.get("CHECK_API_REDIRECT_HOST", "example.com")

# 1971-01-01T00:00:00Z to 2024-12-31T23:59:59.999Z: readable by every endpoint, never "ahead".
LOW_MS = 31_536_000_000
HIGH_MS = 1_735_689_599_999


def _utc(ms):
    return datetime(1970, 1, 1, tzinfo=timezone.utc) + timedelta(milliseconds=ms)


@st.composite
def event_times(draw):
    form = draw(st.sampled_from(["sql", "iso", "seconds", "milliseconds", "empty"]))
    if form == "empty":
        return ""
    ms = draw(st.integers(LOW_MS, HIGH_MS))
    if form == "seconds":
        return str(ms // 1000)
    if form == "milliseconds":
        return str(max(ms, 100_000_000_000))
    digits = draw(st.sampled_from([0, 1, 3, 6, 9]))
    fraction = "" if digits == 0 else "." + f"{ms % 1000:03d}{'0' * 6}"[:digits]
    if form == "sql":
        return _utc(ms).strftime("%Y-%m-%d %H:%M:%S") + fraction
    offset_minutes = draw(st.integers(-14 * 60, 14 * 60))
    local = _utc(ms) + timedelta(minutes=offset_minutes)
    if offset_minutes == 0 and draw(st.booleans()):
        zone = "Z"
    else:
        sign = "+" if offset_minutes >= 0 else "-"
        hours, minutes = divmod(abs(offset_minutes), 60)
        zone = f"{sign}{hours:02d}{':' if draw(st.booleans()) else ''}{minutes:02d}"
    return local.strftime("%Y-%m-%dT%H:%M:%S") + fraction + zone


schemathesis.openapi.format("event-time", event_times())


_EVENT_TIME = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})([ T])(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:?\d{2})?$"
)


def event_time_ms(text):
    """Epoch milliseconds of an event time as the server reads it; None when it would not."""
    if text is None or text == "":
        return None
    text = str(text)
    if text.isdigit():
        if len(text) > 15:
            return None
        value = int(text)
        return value * 1000 if value < 100_000_000_000 else value
    match = _EVENT_TIME.match(text)
    if not match:
        return None
    year, month, day, sep, hour, minute, second, fraction, zone = match.groups()
    if (sep == "T") != (zone is not None):
        return None
    try:
        moment = datetime(int(year), int(month), int(day), int(hour), int(minute), int(second), tzinfo=timezone.utc)
    except ValueError:
        return None
    ms = int(moment.timestamp()) * 1000 + int((fraction or "0")[:3].ljust(3, "0"))
    if zone and zone != "Z":
        sign = 1 if zone[0] == "+" else -1
        ms -= sign * (int(zone[1:3]) * 3600 + int(zone[-2:]) * 60) * 1000
    return ms


@st.composite
def ndjson_bodies(draw):
    event = st.fixed_dictionaries(
        {"ts": event_times(), "custom_track": st.sampled_from(["click", "conversion", "qualified", "unqualified", "alive"])},
        optional={
            "job_id": st.one_of(st.integers(0, 2**31 - 1), st.text(max_size=12)),
            "publisher_id": st.one_of(st.integers(0, 50), st.text(max_size=5)),
            "campaign_id": st.integers(0, 50),
            "bid": st.one_of(st.decimals(0, 10, places=2).map(str), st.text(max_size=5)),
            "ed": st.dictionaries(st.text(max_size=10), st.text(max_size=10), max_size=3),
        },
    ).map(json.dumps)
    any_json = st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=20),
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
        max_leaves=8,
    ).map(json.dumps)
    line = st.one_of(event, any_json, st.text(max_size=40).map(lambda t: t.replace("\n", " ")), st.just(""))
    lines = draw(st.lists(line, max_size=8))
    return "\n".join(lines).encode("utf-8")


schemathesis.openapi.media_type("application/x-ndjson", ndjson_bodies())


REDIRECT = re.compile(r"^[Hh][Tt][Tt][Pp][Ss]?://[A-Za-z0-9.-]+(:[0-9]{1,5})?([/?#][!-\[\]-~]*)?$")
KEY = re.compile(r"^[!-~]([ -~]*[!-~])?$")


def warehouse_id(value):
    """How the server reads an id parameter: None when absent or empty, True when it is an id
    (decimal digits, at most 2^31 - 1), False otherwise."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return False
    text = str(value)
    return text.isascii() and text.isdigit() and int(text) <= 2**31 - 1


BUDGET_DAY = re.compile(r"^(19[7-9][0-9]|[2-9][0-9]{3})-[0-9]{2}-[0-9]{2}$")


def budget_day(value):
    """A budget's day as the server reads it (a real date from 1970 on), or None."""
    if not isinstance(value, str) or not BUDGET_DAY.match(value):
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError:
        return None


def make_budget_readable(body):
    """What JSON Schema cannot say of a valid budget: at most 6 decimals, the end not before the start."""
    amount = body.get("amount")
    if isinstance(amount, float) and 0 < amount < 1e12:
        body["amount"] = min(max(round(amount, 6), 0.000001), 999_999_999_999.0)
    start, end = budget_day(body.get("starts_on")), budget_day(body.get("ends_on"))
    if start is not None and end is not None and end < start:
        body["starts_on"], body["ends_on"] = body["ends_on"], body["starts_on"]


@schemathesis.hook
def before_call(context, case, kwargs):
    """Runs before every request of every phase; schemathesis re-checks the case afterwards."""
    path = case.operation.path
    query = case.query if isinstance(case.query, MutableMapping) else None
    if query is not None and path.startswith("/api/"):
        start, end = event_time_ms(query.get("from")), event_time_ms(query.get("to"))
        if start is not None and end is not None and start > end:
            query["from"], query["to"] = query["to"], query["from"]
    if query is not None and path == "/t/{kind}" and isinstance(query.get("redirect"), str):
        target = query["redirect"]
        if len(target) <= 2048 and REDIRECT.match(target):
            # Same shape, on the allowed host (the schema cannot name the --redirect-host list).
            rest = re.sub(r"^[^/?#]*//[^/?#]*", "", target)
            query["redirect"] = f"https://{REDIRECT_HOST}{rest}"[:2048]
    if path == "/api/advice":
        if case.query is None:
            case.query = query = {}
        if query is not None:
            campaign, job = warehouse_id(query.get("campaign_id")), warehouse_id(query.get("job_id"))
            if campaign is None and job is None:
                query["campaign_id"] = "7"  # the campaign check-api.sh seeds
            elif campaign is True and job is True:
                del query["job_id"]
    if path == "/api/budgets/{scope}/{id}" and case.method.upper() == "PUT" and isinstance(case.body, MutableMapping):
        make_budget_readable(case.body)
    headers = case.headers if isinstance(case.headers, MutableMapping) else None
    if headers and path == "/v1/events":
        for name in list(headers):
            value = headers[name]
            if name.lower() == "idempotency-key" and isinstance(value, str) and len(value) <= 255 and KEY.match(value):
                headers[name] = f"{value[:200]}-{uuid.uuid4().hex}"


# With CHECK_API_CREDENTIALS set, check-api.sh runs against a server with `--api-key` and a
# dashboard login: "valid" when schemathesis sends the credentials (config file), "none" when
# it sends none. openapi.yaml marks that security optional (it depends on the configuration),
# so schemathesis's own ignored_auth check skips it; this check holds the server to it.
CREDENTIALS = os.environ.get("CHECK_API_CREDENTIALS")


@schemathesis.check
def configured_credentials_enforced(ctx, response, case):
    if CREDENTIALS not in ("valid", "none"):
        return None
    from schemathesis.specs.openapi.adapter.security import declares_security

    if not declares_security(case.operation):
        return None
    if CREDENTIALS == "none" and response.status_code not in (401, 404):
        # 404 only where no route matches (an empty or slashed `kind`), before any credential check.
        raise AssertionError(f"{case.operation.label} answered {response.status_code} without credentials; expected 401")
    if CREDENTIALS == "valid" and response.status_code == 401:
        raise AssertionError(f"{case.operation.label} answered 401 to the configured credentials")
    return None
