"""The normalization rules of the design as Spark SQL expressions, identical to the Swift engine's
(Sources/Core/Normalization.swift, EventTime.swift, FlatJSON.swift, EventDetails.swift).

Everything here is built from Spark's own functions, never Python UDFs, so that executors run it
in the JVM at full speed. Each function takes and returns a Column; ``normalized`` puts them
together into one row per lake event:

    kind      the event's kind (NULL when it has none)
    funnel    whether it adds to a funnel metric: a funnel kind and a readable ts
    job_id, publisher_id, campaign_id, group_id    INT, 0 when unattributed
    bid_micros    the bid in millionths (BIGINT), 0 when absent or not a decimal
    event_ms      epoch milliseconds of ts (BIGINT), NULL when ts is unreadable

Java regular expressions: `\\z` anchors at the very end (`$` would also match before a final
line break), and `[0-9]` is ASCII only, like the Swift code's byte comparisons.
"""

from pyspark.sql import Column, functions as F

FUNNEL_KINDS = ("click", "conversion", "qualified", "unqualified")
INT32_MAX = 2_147_483_647
# 9999-12-31T23:59:59.999Z, the last instant a warehouse DATE can hold.
MAX_EVENT_MS = 253_402_300_799_999
# An integer epoch below this is in seconds, at or above it in milliseconds (EventTime.secondsBelow).
EPOCH_SECONDS_BELOW = 100_000_000_000
# The longest `ed` read, in UTF-8 bytes (EventDetails.maxBytes), and the deepest nesting of a
# JSON value, the object itself being level 1 (FlatJSON.maxDepth). Past either, `ed` is absent.
ED_MAX_BYTES = 16 * 1024
JSON_MAX_DEPTH = 32

# ---------------------------------------------------------------------------------------------
# Rules 2 and 3: identifiers


def integer_id(text: Column) -> Column:
    """One integer: 1 to 10 ASCII digits, no sign or separator, at most 2147483647; else NULL."""
    return F.when(
        text.rlike(r"^[0-9]{1,10}\z") & (text.try_cast("bigint") <= INT32_MAX),
        text.try_cast("int"),
    )


def identifier(column: Column, detail: Column) -> Column:
    """The column when it holds one integer, else the `ed` member when it is one (as a number or
    a string), else 0: unattributed."""
    return F.coalesce(integer_id(column), integer_id(detail), F.lit(0))


# ---------------------------------------------------------------------------------------------
# The `ed` member: a JSON object, read exactly as FlatJSON reads it.
#
# Spark's JSON functions are lenient (single quotes, text after the object) and differ on
# details (a member that is null is skipped, numbers with leading zeros fail), so `ed` is first
# cut into JSON tokens and checked against the strict grammar here. A valid object is then
# rewritten with every number and literal as a string (numbers keep their exact text; true,
# false and null become ""), so that get_json_object returns the first member of a name as its
# text, whatever its JSON type: exactly what the rules need.

_JSON_TOKEN = (
    r'(?s)("(?:[^"\\\x00-\x1f]|\\["\\/bfnrt]|\\u[0-9A-Fa-f]{4})*"'  # a string
    r"|-?[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?"  # a number (FlatJSON allows leading zeros)
    r"|true|false|null"
    r"|[{}\[\],:]"
    r"|[ \t\n\r]+"  # the four JSON white-space characters
    r"|.)"  # anything else: a syntax error
)
# Token shapes: s string, n number, l literal, the six punctuation marks as themselves,
# v a reduced array, o a reduced object, ! an error. White space has no shape.
_VALUE = "[snlvo]"
_INNERMOST_ARRAY = rf"\[(?:{_VALUE}(?:,{_VALUE})*)?\]"
_INNERMOST_OBJECT = rf"\{{(?:s:{_VALUE}(?:,s:{_VALUE})*)?\}}"


def _token_shape(token: Column) -> Column:
    return (
        F.when(token.isin('"', "-"), "!")  # an unclosed or invalid string; a sign without digits
        .when(token.startswith('"'), "s")
        .when(token.rlike(r"^-?[0-9]"), "n")
        .when(token.isin("true", "false", "null"), "l")
        .when(token.isin("{", "}", "[", "]", ",", ":"), token)
        .when(token.rlike(r"^[ \t\n\r]"), "")
        .otherwise("!")
    )


def _is_object(shapes: Column) -> Column:
    """Whether the token shapes form exactly one JSON object: innermost arrays and objects are
    reduced to one value, pass after pass, once per bracket (the deepest possible nesting)."""
    shape = F.array_join(shapes, "")
    brackets = F.length(shape) - F.length(F.regexp_replace(shape, r"[\[{]", ""))
    reduced = F.aggregate(
        F.sequence(F.lit(0), brackets),
        shape,
        lambda text, _: F.regexp_replace(F.regexp_replace(text, _INNERMOST_ARRAY, "v"), _INNERMOST_OBJECT, "o"),
    )
    return reduced == "o"


def _max_depth(shapes: Column) -> Column:
    """The deepest nesting of brackets among the token shapes (strings are one shape, so their
    brackets do not count): FlatJSON refuses a text nested deeper than JSON_MAX_DEPTH."""
    def step(acc, shape):
        opens = F.when(shape.isin("[", "{"), 1).otherwise(0)
        closes = F.when(shape.isin("]", "}"), 1).otherwise(0)
        return F.struct((acc["depth"] + opens - closes).alias("depth"),
                        F.greatest(acc["deepest"], acc["depth"] + opens).alias("deepest"))
    start = F.struct(F.lit(0).alias("depth"), F.lit(0).alias("deepest"))
    return F.aggregate(shapes, start, step)["deepest"]


def _scalars_as_strings(tokens: Column, shapes: Column) -> Column:
    return F.array_join(
        F.zip_with(
            tokens, shapes,
            lambda token, shape: F.when(shape == "n", F.concat(F.lit('"'), token, F.lit('"')))
            .when(shape == "l", F.lit('""'))
            .otherwise(token),
        ),
        "",
    )


def event_details(ed: Column) -> Column:
    """`ed` rewritten for member lookups, or NULL when it is not one valid JSON object nested at
    most JSON_MAX_DEPTH deep, or is longer than ED_MAX_BYTES (then all its members are absent).
    The length is checked first, so that an overlong `ed` is never tokenized."""
    bounded = F.when(F.octet_length(ed) <= ED_MAX_BYTES, ed)
    tokens = F.regexp_extract_all(bounded, F.lit(_JSON_TOKEN), F.lit(1))
    shapes = F.transform(tokens, _token_shape)
    valid = (_max_depth(shapes) <= JSON_MAX_DEPTH) & _is_object(shapes)
    return F.when(valid, _scalars_as_strings(tokens, shapes))


def member(details: Column, name: str) -> Column:
    """The text of the first top-level member `name` of rewritten details (NULL when absent)."""
    return F.get_json_object(details, f"$.{name}")


# ---------------------------------------------------------------------------------------------
# Rule 1: the kind


def present(field: Column) -> Column:
    """A lake field, NULL where it is absent or empty."""
    return F.when(field != "", field)


def kind(custom_track: Column, details: Column) -> Column:
    """`custom_track` where not empty, else `ed.customEvent`. A customEvent that is not a JSON
    string reads as its text or "" here: neither can be a funnel kind, as the rule requires."""
    return F.coalesce(present(custom_track), member(details, "customEvent"))


# ---------------------------------------------------------------------------------------------
# Rule 4: the bid


def bid_micros(bid: Column) -> Column:
    """A non-negative decimal (`12`, `0.35`, `.5`, `12.`) in millionths, fraction digits past the
    sixth dropped; more than 12 integer digits, or anything else, is 0."""
    readable = bid.rlike(r"^[0-9]{0,12}(?:\.[0-9]*)?\z") & bid.rlike("[0-9]")
    whole = F.coalesce(F.regexp_extract(bid, r"^([0-9]*)", 1).try_cast("bigint"), F.lit(0))
    fraction = F.rpad(F.substring(F.regexp_extract(bid, r"\.([0-9]*)", 1), 1, 6), 6, "0").try_cast("bigint")
    return F.when(readable, whole * 1_000_000 + fraction).otherwise(F.lit(0).cast("bigint"))


# ---------------------------------------------------------------------------------------------
# Rules 5 and 6: the event time

_EPOCH = r"^[0-9]{1,15}\z"
_DATE_TIME = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}[ T][0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.([0-9]{1,9}))?(Z|[+-][0-9]{2}:?[0-9]{2})?\z"


def _number(text: Column, start: int, length: int) -> Column:
    return F.substring(text, start, length).try_cast("bigint")


def _quotient(dividend: Column, divisor: int) -> Column:
    """Integer division of a non-negative integer."""
    return F.floor(dividend / divisor)


def _days_in_month(year: Column, month: Column) -> Column:
    leap = ((year % 4 == 0) & (year % 100 != 0)) | (year % 400 == 0)
    return (
        F.when(month == 2, F.when(leap, 29).otherwise(28))
        .when(month.isin(4, 6, 9, 11), 30)
        .otherwise(31)
    )


def _days_from_civil(year: Column, month: Column, day: Column) -> Column:
    """Days since 1970-01-01 of a proleptic Gregorian date (the Swift code's algorithm)."""
    y = year - F.when(month <= 2, 1).otherwise(0)
    era = _quotient(y, 400)
    year_of_era = y - era * 400
    shifted_month = (month + 9) % 12
    day_of_year = _quotient(153 * shifted_month + 2, 5) + day - 1
    day_of_era = year_of_era * 365 + _quotient(year_of_era, 4) - _quotient(year_of_era, 100) + day_of_year
    return era * 146_097 + day_of_era - 719_468


def _zone_offset_seconds(zone: Column) -> Column:
    """Seconds east of UTC of `Z`, `±HH:MM` or `±HHMM`; NULL for an impossible offset."""
    hours = _number(zone, 2, 2)
    minutes = F.substring(zone, -2, 2).try_cast("bigint")
    sign = F.when(zone.startswith("-"), -1).otherwise(1)
    return (
        F.when(zone == "Z", F.lit(0))
        .when((hours < 24) & (minutes < 60), sign * (hours * 3600 + minutes * 60))
    )


def _date_time_ms(ts: Column) -> Column:
    """`YYYY-MM-DD HH:MM:SS[.f]` (UTC) or `YYYY-MM-DDTHH:MM:SS[.f](Z|±HH:MM|±HHMM)`; NULL otherwise."""
    year, month, day = _number(ts, 1, 4), _number(ts, 6, 2), _number(ts, 9, 2)
    hour, minute, second = _number(ts, 12, 2), _number(ts, 15, 2), _number(ts, 18, 2)
    separator = F.substring(ts, 11, 1)
    fraction = F.regexp_extract(ts, _DATE_TIME, 1)
    zone = F.regexp_extract(ts, _DATE_TIME, 2)
    milliseconds = F.rpad(F.substring(fraction, 1, 3), 3, "0").try_cast("bigint")
    offset = F.when(separator == " ", F.when(zone == "", F.lit(0))).otherwise(
        F.when(zone != "", _zone_offset_seconds(zone))
    )
    valid = (
        ts.rlike(_DATE_TIME)
        & (year >= 1970) & month.between(1, 12) & (day >= 1) & (day <= _days_in_month(year, month))
        & (hour < 24) & (minute < 60) & (second < 60)
        & offset.isNotNull()
    )
    seconds = _days_from_civil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second - offset
    return F.when(valid, seconds * 1000 + milliseconds)


def event_ms(ts: Column) -> Column:
    """Epoch milliseconds of `ts` (one of the three accepted forms, 1970 to 9999), else NULL.
    An integer epoch is read by magnitude: below EPOCH_SECONDS_BELOW in seconds, else in
    milliseconds (so epoch milliseconds before 1973-03-03 are not supported)."""
    epoch = ts.try_cast("bigint")
    epoch_ms = F.when(epoch < EPOCH_SECONDS_BELOW, epoch * 1000).otherwise(epoch)
    millis = F.when(ts.rlike(_EPOCH), epoch_ms).otherwise(_date_time_ms(ts))
    return F.when(millis.between(0, MAX_EVENT_MS), millis)


# ---------------------------------------------------------------------------------------------


def normalized(events):
    """One normalized row per raw event of a DataFrame with the lake's text columns.

    In three steps, so that `ed` is tokenized and `ts` parsed once per event, however many
    expressions read them (Spark does not merge projections that would repeat costly work)."""
    parsed = events.select(
        "custom_track", "job_id", "publisher_id", "campaign_id", "group_id", "bid",
        event_details(present(F.col("ed"))).alias("details"),
        event_ms(F.col("ts")).alias("event_ms"),
    )
    details = F.col("details")
    rules = parsed.select(
        kind(F.col("custom_track"), details).alias("kind"),
        identifier(F.col("job_id"), member(details, "jobId")).alias("job_id"),
        identifier(F.col("publisher_id"), member(details, "publisherId")).alias("publisher_id"),
        identifier(F.col("campaign_id"), member(details, "campaignId")).alias("campaign_id"),
        identifier(F.col("group_id"), member(details, "groupId")).alias("group_id"),
        bid_micros(F.col("bid")).alias("bid_micros"),
        "event_ms",
    )
    funnel = F.col("kind").isin(*FUNNEL_KINDS) & F.col("event_ms").isNotNull()
    return rules.select("kind", funnel.alias("funnel"), "job_id", "publisher_id", "campaign_id", "group_id",
                        "bid_micros", "event_ms")
